// Package corpus reads heimnetz's hostile plugin corpus: plugins written to
// break the sandbox, each with the outcome it must have.
//
// The corpus lives in luaplugins/testdata/hostile/<class>/, one folder per
// class of attack (memory, time, panics, output, names). A case is a bare
// plugin NAME.lua (default limits, no permissions) or a plugin directory
// NAME/ with manifest.yml and main.lua. Its first lines are Lua comments
// that state what must happen:
//
//	-- expect: REGEXP      the error line of `heimnetz plugin run` (exit 1);
//	                       `ok` instead means the run must succeed (exit 0)
//	-- rss: N              peak RSS of the run in MiB (default 100)
//	-- time: DURATION      wall time of the whole run (default 4s: the 2 s
//	                       default timeout, 1 s past it, 1 s to start)
//	-- args: A B ...       more arguments to `plugin run` (--times, --limit)
//	-- stdout: REGEXP      what stdout must match
//	-- stdout-not: REGEXP  what stdout must not match
//
// An expectation must be specific (see compileSpecific): no alternatives,
// at least MinLiteral literal characters, and no match for an error any
// unrelated bug would give ("attempt to call a nil value") unless it pins
// the line. The bare .lua files directly in testdata/hostile, the older
// corpus, are read by ReadFlat under the same rules.
//
// Both the in-process harness (luaplugins) and the one that runs the real
// binary (agent) read cases through Read and ReadFlat, so they cannot
// disagree on what a case asks.
package corpus

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Defaults for a case that does not state its bounds.
const (
	DefaultRSS  = 100 << 20
	DefaultTime = 4 * time.Second
)

// Case is one hostile plugin and the outcome it must have.
type Case struct {
	Name      string         // class/name, for test names
	Class     string         // the folder: memory, time, panics, output, names
	Path      string         // what `plugin run` is given: the .lua file or the plugin directory
	Main      string         // the Lua source file holding the header
	OK        bool           // the run must succeed
	Expect    *regexp.Regexp // the error line must match (nil when OK)
	RSS       int64          // bound on peak RSS in bytes
	Time      time.Duration  // bound on the whole run's wall time
	Args      []string       // more `plugin run` arguments
	Stdout    *regexp.Regexp // nil: no requirement
	StdoutNot *regexp.Regexp // nil: no requirement
}

// Times is the --times value among the case's arguments (1 without one).
func (c *Case) Times() int {
	for i, a := range c.Args {
		if a == "--times" && i+1 < len(c.Args) {
			if n, err := strconv.Atoi(c.Args[i+1]); err == nil {
				return n
			}
		}
	}
	return 1
}

// Limits are the --limit KEY=VALUE pairs among the case's arguments.
func (c *Case) Limits() [][2]string {
	var out [][2]string
	for i, a := range c.Args {
		if a == "--limit" && i+1 < len(c.Args) {
			k, v, _ := strings.Cut(c.Args[i+1], "=")
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

// Read returns every case under root's class folders, sorted by name.
// Bare .lua files directly in root are not classed cases and are left to
// their own harness.
func Read(root string) ([]Case, error) {
	classes, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var cases []Case
	for _, cl := range classes {
		if !cl.IsDir() {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(root, cl.Name()))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			path := filepath.Join(root, cl.Name(), e.Name())
			c := Case{Class: cl.Name(), Path: path}
			switch {
			case e.IsDir():
				c.Name = cl.Name() + "/" + e.Name()
				c.Main = filepath.Join(path, "main.lua")
			case strings.HasSuffix(e.Name(), ".lua"):
				c.Name = cl.Name() + "/" + strings.TrimSuffix(e.Name(), ".lua")
				c.Main = path
			default:
				continue
			}
			if err := c.readHeader(); err != nil {
				return nil, fmt.Errorf("%s: %w", c.Main, err)
			}
			cases = append(cases, c)
		}
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	return cases, nil
}

// ReadFlat returns the unclassed cases: the bare .lua files directly in
// root, sorted by name. Their harnesses run each under fixed limits (see
// luaplugins' TestHostileCorpus and the agent's TestPluginRunHostileCorpus),
// so a flat case has only an expect line, which names an error: a case
// that needs its own arguments, bounds or output checks belongs in a class
// folder.
func ReadFlat(root string) ([]Case, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var cases []Case
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".lua") {
			continue
		}
		path := filepath.Join(root, e.Name())
		c := Case{Name: strings.TrimSuffix(e.Name(), ".lua"), Path: path, Main: path}
		if err := c.readHeader(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		switch {
		case c.OK:
			return nil, fmt.Errorf("%s: `-- expect: ok`: a flat case must end with an error; put a case that must succeed in a class folder", path)
		case c.Args != nil || c.Stdout != nil || c.StdoutNot != nil || c.RSS != DefaultRSS || c.Time != DefaultTime:
			return nil, fmt.Errorf("%s: a flat case runs under its harness's fixed limits and has only an expect line; put it in a class folder to give it args, rss, time or stdout", path)
		}
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	return cases, nil
}

// errNoExpect is returned for a case without its required expect line.
var errNoExpect = errors.New("no `-- expect:` line: every case states its outcome")

func (c *Case) readHeader() error {
	src, err := os.ReadFile(c.Main)
	if err != nil {
		return err
	}
	c.RSS, c.Time = DefaultRSS, DefaultTime
	sawExpect := false
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "-- ")
		if !ok {
			break
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			break
		}
		value = strings.TrimSpace(value)
		switch key {
		case "expect":
			sawExpect = true
			if value == "ok" {
				c.OK = true
				continue
			}
			if c.Expect, err = compileSpecific(value); err != nil {
				return fmt.Errorf("expect: %w", err)
			}
		case "rss":
			mib, err := strconv.ParseInt(value, 10, 64)
			if err != nil || mib <= 0 {
				return fmt.Errorf("rss: %q is not a positive number of MiB", value)
			}
			c.RSS = mib << 20
		case "time":
			d, err := time.ParseDuration(value)
			if err != nil || d <= 0 {
				return fmt.Errorf("time: %q is not a positive duration", value)
			}
			c.Time = d
		case "args":
			c.Args = strings.Fields(value)
		case "stdout":
			if c.Stdout, err = regexp.Compile(value); err != nil {
				return fmt.Errorf("stdout: %w", err)
			}
		case "stdout-not":
			if c.StdoutNot, err = regexp.Compile(value); err != nil {
				return fmt.Errorf("stdout-not: %w", err)
			}
		default:
			// A comment that is not a header ends the header.
			return c.checkExpect(sawExpect)
		}
	}
	return c.checkExpect(sawExpect)
}

func (c *Case) checkExpect(saw bool) error {
	if !saw {
		return errNoExpect
	}
	if c.OK && c.Stdout == nil && c.StdoutNot == nil {
		return errors.New("`-- expect: ok` needs a `-- stdout:` or `-- stdout-not:` line saying what the attack must not achieve")
	}
	return nil
}
