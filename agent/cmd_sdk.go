package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/heimnetz/heimnetz/agent/buildinfo"
	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/agent/internal/core"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/luaplugins/check"
	"github.com/heimnetz/heimnetz/luaplugins/docs"
	"github.com/heimnetz/heimnetz/luaplugins/pack"
	"github.com/heimnetz/heimnetz/luaplugins/scaffold"
	"github.com/heimnetz/heimnetz/luaplugins/testrunner"
)

// program returns the name this binary was invoked by, shell-quoted
// when needed, for the commands its messages tell the user to run:
// bin/heimnetz after `make build` in the source tree, heimnetz when it is
// on PATH (as on a router), so a suggested command runs as printed.
// Usage synopses keep the program's name, heimnetz, as manual pages do.
func program() string {
	if len(os.Args) == 0 || os.Args[0] == "" {
		return "heimnetz"
	}
	return shellWord(os.Args[0])
}

// shellWord quotes s for a POSIX shell when it holds anything but
// letters, digits and the characters paths commonly use.
func shellWord(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@%", r)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// parseInterleaved parses flags that may come before or after the
// positional arguments (plugin check DIR --format json) and returns the
// positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// sdkFlags parses a sub-command's flags and wants exactly n positional
// arguments; ok false means return code.
func sdkFlags(fs *flag.FlagSet, args []string, n int) (pos []string, code int, ok bool) {
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, parseExit(err), false
	}
	if len(pos) != n {
		fs.Usage()
		return nil, 2, false
	}
	return pos, 0, true
}

func cmdPluginNew(args []string) int {
	fs := flag.NewFlagSet("plugin new", flag.ContinueOnError)
	var names []string
	for _, t := range scaffold.Templates() {
		names = append(names, fmt.Sprintf("  %-9s %s", t.Name, t.Summary))
	}
	fs.Usage = func() {
		usageOf(fs, "heimnetz plugin new NAME [--template T] [--dir PARENT]",
			"Write a new plugin directory PARENT/NAME: a commented manifest.yml, main.lua, test.lua and README.md that pass `plugin check` and `plugin test` as written.\nTemplates:\n"+strings.Join(names, "\n")+"\nExit status: 0 written; 2 bad usage, a bad name or an existing directory.")
	}
	tmpl := fs.String("template", scaffold.DefaultTemplate, "template `T`")
	parent := fs.String("dir", ".", "`directory` to create the plugin in")
	pos, code, ok := sdkFlags(fs, args, 1)
	if !ok {
		return code
	}
	prog := program()
	dir, err := scaffold.Write(*parent, pos[0], *tmpl, prog)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin new:", err)
		return 2
	}
	fmt.Printf("created %s (template %s)\nnext: %s plugin check %s && %s plugin test %s\n", dir, *tmpl, prog, shellWord(dir), prog, shellWord(dir))
	return 0
}

func cmdPluginCheck(args []string) int {
	fs := flag.NewFlagSet("plugin check", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz plugin check PATH [--format text|json|sarif]",
			"Check a plugin (a directory or a .lua file) without running it: removed or unknown globals, ungranted or unused permissions, dynamic code, bytecode, runaway loops and patterns, global writes, secrets, network targets, sizes and the manifest. Every finding has a rule ID, severity, file:line:column and a fix; `"+program()+" docs` lists the rules.\nExit status: 0 no finding at or above high; 1 such findings; 2 unreadable input or bad usage.")
	}
	format := fs.String("format", check.FormatText, "output `format`: text, json or sarif")
	pos, code, ok := sdkFlags(fs, args, 1)
	if !ok {
		return code
	}
	if *format != check.FormatText && *format != check.FormatJSON && *format != check.FormatSARIF {
		fmt.Fprintf(os.Stderr, "heimnetz plugin check: unknown format %q (text, json or sarif)\n", *format)
		return 2
	}
	r, err := check.Path(pos[0], check.Options{TestGlobals: testrunner.Globals(), Program: program()})
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin check:", err)
		return 2
	}
	if err := check.WriteReport(os.Stdout, r, *format, buildinfo.Version); err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin check:", err)
		return 2
	}
	if r.Failed() {
		return 1
	}
	return 0
}

func cmdPluginTest(args []string) int {
	fs := flag.NewFlagSet("plugin test", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz plugin test PATH [--format text|tap|junit] [--board DIR]",
			"Run the plugin's test.lua: every global test_* function is one test, run in source order as one call under the plugin's limits. For each test the plugin is loaded afresh in the agent's sandbox (main.lua, then test.lua) with fixture board data (the plugin's testdata/ directory, or a built-in OpenWrt router's /proc) and an empty kv store of its own; `shared_kv = true` at the top of test.lua makes the tests share one store instead. Errors name the file and line as `plugin run` does. The summary `N passed, N failed` is printed once: the last line for text, `# N passed, N failed` for tap, an XML comment for junit (and the plain line on stderr).\nExit status: 0 all passed; 1 a test failed; 2 no tests, unreadable plugin or bad usage.")
	}
	format := fs.String("format", testrunner.FormatText, "output `format`: text, tap or junit")
	boardDir := fs.String("board", "", "fixture `directory` standing for / (default: PATH/testdata, else built in)")
	pos, code, ok := sdkFlags(fs, args, 1)
	if !ok {
		return code
	}
	if *format != testrunner.FormatText && *format != testrunner.FormatTAP && *format != testrunner.FormatJUnit {
		fmt.Fprintf(os.Stderr, "heimnetz plugin test: unknown format %q (text, tap or junit)\n", *format)
		return 2
	}
	opts := testrunner.Options{}
	if *boardDir != "" {
		opts.Board = os.DirFS(*boardDir)
	}
	r, err := testrunner.Run(pos[0], opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin test:", err)
		return 2
	}
	if err := testrunner.Write(os.Stdout, r, *format); err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin test:", err)
		return 2
	}
	if *format == testrunner.FormatJUnit {
		fmt.Fprintf(os.Stderr, "%d passed, %d failed\n", r.Passed(), r.Failed())
	}
	if r.Failed() > 0 {
		return 1
	}
	return 0
}

func cmdPluginPack(args []string) int {
	fs := flag.NewFlagSet("plugin pack", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz plugin pack PATH [-o FILE]",
			"Pack a plugin directory into one archive (tar.gz) with a SHA256SUMS listing of its files; prints the content hash (SHA-256 of the package's canonical v2 encoding: name, and every file's path, size and SHA-256). File names must be portable (A-Z a-z 0-9 . _ -; hidden files are left out). The plugin must pass `plugin check` (no finding at or above high).\nExit status: 0 written; 1 check findings; 2 unreadable plugin or bad usage.")
	}
	out := fs.String("o", "", "archive `file` (default NAME-VERSION.tar.gz)")
	pos, code, ok := sdkFlags(fs, args, 1)
	if !ok {
		return code
	}
	r, err := check.Path(pos[0], check.Options{TestGlobals: testrunner.Globals(), Program: program()})
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin pack:", err)
		return 2
	}
	if r.Failed() {
		check.WriteReport(os.Stderr, r, check.FormatText, buildinfo.Version)
		fmt.Fprintln(os.Stderr, "heimnetz plugin pack: not packed: fix the findings at or above high first")
		return 1
	}
	src, err := luaplugins.ReadPath(pos[0], luaplugins.NewRegistry(), limits.Ceilings())
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin pack:", err)
		return 2
	}
	p, err := pack.FromDir(pos[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin pack:", err)
		return 2
	}
	data, err := p.Archive()
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin pack:", err)
		return 1
	}
	if *out == "" {
		*out = luaplugins.PackageFile(src.Name(), src.Manifest.Version)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin pack:", err)
		return 1
	}
	fmt.Printf("%s: %d files, %d bytes, content hash sha256:%s\n", *out, len(p.Files), len(data), p.Hash())
	return 0
}

func cmdPluginSign(args []string) int {
	fs := flag.NewFlagSet("plugin sign", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz plugin sign PKG --key KEY [--detached]",
			"Sign a plugin package with an Ed25519 private key (`"+program()+" key new`): the signature (format v2) covers the package's name and every file's path, size and SHA-256, and replaces an older (v1) signature. The signature is embedded in PKG (what the admin API needs), or with --detached written to PKG.sig.\nExit status: 0 signed; 1 the package or key cannot be used; 2 bad usage.")
	}
	keyPath := fs.String("key", "", "private key `file`")
	detached := fs.Bool("detached", false, "write PKG.sig instead of embedding the signature")
	pos, code, ok := sdkFlags(fs, args, 1)
	if !ok {
		return code
	}
	if *keyPath == "" {
		fmt.Fprintln(os.Stderr, "heimnetz plugin sign: --key is required")
		return 2
	}
	priv, err := pack.ReadPrivateKey(*keyPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin sign:", err)
		return 1
	}
	p, err := readPackage(pos[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin sign:", err)
		return 1
	}
	sig := p.Sign(priv)
	target := pos[0]
	var data []byte
	if *detached {
		target, data = pos[0]+".sig", sig.Marshal()
	} else if data, err = p.Archive(); err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin sign:", err)
		return 1
	}
	if err := writeAtomic(target, data); err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin sign:", err)
		return 1
	}
	fmt.Printf("%s: signed by key %s (content hash sha256:%s)\n", target, sig.KeyID, p.Hash())
	return 0
}

func readPackage(name string) (*pack.Package, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if fi.Size() > pack.MaxArchiveBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, pack.MaxArchiveBytes)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return pack.Open(data)
}

// detachedSignature returns PKG.sig when it exists.
func detachedSignature(pkg string) (*pack.Signature, error) {
	data, err := os.ReadFile(pkg + ".sig")
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return pack.ParseSignature(data)
}

func writeAtomic(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// trustFlags collects repeated --trusted KEY flags.
type trustFlags []string

func (t *trustFlags) String() string     { return strings.Join(*t, ",") }
func (t *trustFlags) Set(v string) error { *t = append(*t, v); return nil }

func cmdPluginVerify(args []string) int {
	fs := flag.NewFlagSet("plugin verify", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz plugin verify PKG --trusted KEY...",
			"Check a package's shape and content hash and its signature (PKG.sig when present, else the embedded one) against the trusted public keys. Signatures of the old v1 format are refused: sign the package again.\nExit status: 0 signed by a trusted key; 1 unsigned, untrusted, old format, tampered or unsafe; 2 bad usage.")
	}
	var trusted trustFlags
	fs.Var(&trusted, "trusted", "trusted public key `file`; repeatable")
	pos, code, ok := sdkFlags(fs, args, 1)
	if !ok {
		return code
	}
	if len(trusted) == 0 {
		fmt.Fprintln(os.Stderr, "heimnetz plugin verify: at least one --trusted key is required")
		return 2
	}
	keys, err := core.TrustedKeys(trusted)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin verify:", err)
		return 2
	}
	p, err := readPackage(pos[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin verify:", err)
		return 1
	}
	sig, err := detachedSignature(pos[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin verify:", err)
		return 1
	}
	id, err := p.Verify(sig, keys)
	if err != nil {
		fmt.Fprintf(os.Stderr, "heimnetz plugin verify: %s: %v\n", pos[0], err)
		return 1
	}
	fmt.Printf("%s: plugin %s, content hash sha256:%s, signed by trusted key %s\n", pos[0], p.Name, p.Hash(), id)
	return 0
}

func cmdPluginInstall(args []string) int {
	fs := flag.NewFlagSet("plugin install", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz plugin install PKG [--plugins DIR] [--config FILE] [--trusted KEY]... [--allow-unsigned] [--allow-signer-change] [--data DIR]",
			"Install a plugin package into the plugins directory: its signature must come from a trusted key (--trusted and the config's trusted_keys) unless --allow-unsigned accepts it explicitly; the archive must be safe and pass `plugin check`. An upgrade must be signed by the key that signed the installed version unless --allow-signer-change confirms the change; kv data a removed plugin of another signer left is wiped unless --allow-signer-change keeps it. The agent's database (--data, default the config's data_dir) records the signer and the install as security events, so the agent must not be running: a running agent installs without restart through POST /api/v1/plugins/install.\nExit status: 0 installed; 1 refused or failed; 2 bad usage.")
	}
	var trusted trustFlags
	fs.Var(&trusted, "trusted", "trusted public key `file`; repeatable")
	pluginsDir := fs.String("plugins", "", "plugins `directory` (default: the config's plugins_dir)")
	configFile := fs.String("config", "", "agent configuration `file`")
	dataDir := fs.String("data", "", "the agent's database `directory` (default: the config's data_dir)")
	allowUnsigned := fs.Bool("allow-unsigned", false, "accept a package no trusted key signed (recorded as a security event)")
	allowSignerChange := fs.Bool("allow-signer-change", false, "accept a signer other than the installed version's (recorded as a security event)")
	pos, code, ok := sdkFlags(fs, args, 1)
	if !ok {
		return code
	}
	fail := func(code int, err error) int {
		fmt.Fprintln(os.Stderr, "heimnetz plugin install:", err)
		return code
	}
	cfg := config.Default()
	if *configFile != "" {
		if err := cfg.LoadFile(*configFile); err != nil {
			return fail(2, err)
		}
	}
	if *pluginsDir != "" {
		cfg.PluginsDir = *pluginsDir
	}
	if *dataDir != "" {
		cfg.DataDir = *dataDir
	}
	if err := cfg.Validate(); err != nil {
		return fail(2, err)
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return fail(1, err)
	}
	sig, err := detachedSignature(pos[0])
	if err != nil {
		return fail(1, err)
	}
	done, err := core.InstallOffline(core.OfflineInstall{
		Config: cfg, Archive: data, Signature: sig, Trusted: trusted,
		Options: core.InstallOptions{AllowUnsigned: *allowUnsigned, AllowSignerChange: *allowSignerChange},
		Log:     core.NewLogger(os.Stderr, new(core.LogLevel)),
	})
	if err != nil {
		return fail(1, err)
	}
	if done.Signer == "" {
		fmt.Fprintf(os.Stderr, "heimnetz plugin install: WARNING: %s is not signed by a trusted key (%s); installed because --allow-unsigned was given\n", done.Name, done.Signature)
	}
	fmt.Printf("installed %s %s into %s (content hash sha256:%s)\n", done.Name, done.Version, done.Path, done.Hash)
	return 0
}

func cmdKey(args []string) int {
	if len(args) == 0 || args[0] != "new" {
		fmt.Fprintln(os.Stderr, "Usage: heimnetz key new [--out PREFIX] [--comment TEXT]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return 0
		}
		return 2
	}
	fs := flag.NewFlagSet("key new", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz key new [--out PREFIX] [--comment TEXT]",
			"Write a new Ed25519 key pair for signing plugin packages: PREFIX.key (private, mode 0600) and PREFIX.pub (public: list it in trusted_keys). Existing files are never overwritten.\nExit status: 0 written; 1 a file exists or cannot be written; 2 bad usage.")
	}
	out := fs.String("out", "heimnetz-signing", "`prefix` of the two files")
	comment := fs.String("comment", "", "a note stored with the key")
	if _, code, ok := sdkFlags(fs, args[1:], 0); !ok {
		return code
	}
	pub, key, err := pack.NewKey(*out, *comment)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz key new:", err)
		return 1
	}
	k, err := pack.ReadPublicKey(pub)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz key new:", err)
		return 1
	}
	fmt.Printf("private key %s (keep it secret)\npublic key  %s (key id %s)\n", key, pub, pack.KeyID(k))
	return 0
}

func cmdDocs(args []string) int {
	fs := flag.NewFlagSet("docs", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz docs [--format html|md|json] [--plugins DIR] [--no-bundled]",
			"Print the reference for plugin authors, generated from the agent's own registry: host API (modules, functions, arguments, returns, errors, permissions, limits), sandbox, manifest fields with defaults and ceilings, test API, check rules, and each bundled and installed plugin with its permissions, limits and metrics.")
	}
	format := fs.String("format", docs.FormatMarkdown, "output `format`: html, md or json")
	pluginsDir := fs.String("plugins", "", "also document the plugins in this `directory`")
	noBundled := fs.Bool("no-bundled", false, "leave the bundled plugins out")
	if _, code, ok := sdkFlags(fs, args, 0); !ok {
		return code
	}
	if *format != docs.FormatHTML && *format != docs.FormatMarkdown && *format != docs.FormatJSON {
		fmt.Fprintf(os.Stderr, "heimnetz docs: unknown format %q (html, md or json)\n", *format)
		return 2
	}
	reg := luaplugins.NewRegistry()
	byName := map[string]*luaplugins.Source{}
	if !*noBundled {
		srcs, _ := luaplugins.ReadBundled(reg, limits.Ceilings())
		for _, s := range srcs {
			byName[s.Name()] = s
		}
	}
	if *pluginsDir != "" {
		srcs, errs := luaplugins.ReadAll(os.DirFS(*pluginsDir), ".", filepath.Clean(*pluginsDir), reg, limits.Ceilings())
		for _, err := range errs {
			fmt.Fprintln(os.Stderr, "heimnetz docs: skipped:", err)
		}
		for _, s := range srcs {
			byName[s.Name()] = s
		}
	}
	var srcs []*luaplugins.Source
	for _, s := range byName {
		srcs = append(srcs, s)
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Name() < srcs[j].Name() })
	if err := docs.Write(os.Stdout, docs.Build(reg, srcs, buildinfo.Version), *format); err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz docs:", err)
		return 1
	}
	return 0
}
