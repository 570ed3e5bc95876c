package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/agent/internal/core"
	"github.com/heimnetz/heimnetz/store"
)

func cmdStore(args []string) int {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		fmt.Fprintln(os.Stderr, "Usage: heimnetz store export|import FILE [--config FILE] [--data DIR] [--live DIR]\n\nexport writes a consistent copy of the database to FILE (- for stdout);\nimport checks FILE and installs it as the database. Stop the agent first.")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return 0
		}
		return 2
	}
	verb := args[0]
	fs := flag.NewFlagSet("store "+verb, flag.ContinueOnError)
	fs.Usage = func() {
		doc := "Write a consistent copy of the agent's database to FILE (- for stdout)."
		if verb == "import" {
			doc = "Check FILE and install it as the agent's database (the live file, and the snapshot where there is one)."
		}
		usageOf(fs, "heimnetz store "+verb+" FILE [--config FILE] [--data DIR] [--live DIR]", doc+" Stop the agent first.\nExit status: 0 done; 1 failed; 2 bad usage.")
	}
	cfg := config.Default()
	configFile := fs.String("config", "", "agent configuration `file`: its data_dir and live_dir name the database")
	data := fs.String("data", "", "data `directory` of the agent (default: the config's data_dir, "+cfg.DataDir+")")
	live := fs.String("live", "", "RAM `directory` of the live database (default: the config's live_dir)")
	var file string
	rest := args[1:]
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return parseExit(err)
		}
		if fs.NArg() == 0 {
			break
		}
		if file != "" {
			fmt.Fprintln(os.Stderr, "heimnetz store: more than one FILE")
			return 2
		}
		file, rest = fs.Arg(0), fs.Args()[1:]
	}
	if file == "" {
		fmt.Fprintf(os.Stderr, "heimnetz store %s: FILE is missing\n", verb)
		return 2
	}
	if *configFile != "" {
		if err := cfg.LoadFile(*configFile); err != nil {
			fmt.Fprintf(os.Stderr, "heimnetz store %s: %v\n", verb, err)
			return 2
		}
	}
	if *data != "" {
		cfg.DataDir = *data
	}
	if *live != "" {
		cfg.LiveDir = *live
	}
	opts := cfg.StoreOptions()
	var err error
	if verb == "export" {
		err = exportStore(opts, file)
	} else {
		err = importStore(opts, file)
	}
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			err = fmt.Errorf("%w (is the agent running? stop it first)", err)
		}
		fmt.Fprintf(os.Stderr, "heimnetz store %s: %v\n", verb, err)
		return 1
	}
	return 0
}

func exportStore(opts store.Options, file string) (err error) {
	db, err := store.Open(opts)
	if err != nil {
		return err
	}
	defer func() {
		// Close commits what Open recorded (recovery notices) and may
		// snapshot; its failure is this command's failure.
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	var w io.Writer = os.Stdout
	if file != "-" {
		tmp, err := os.CreateTemp(filepath.Dir(file), ".heimnetz-export-*")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		if _, err := db.Export(tmp); err != nil {
			tmp.Close()
			return err
		}
		if err := tmp.Sync(); err != nil {
			tmp.Close()
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		return os.Rename(tmp.Name(), file)
	}
	_, err = db.Export(w)
	return err
}

// importStore installs file as the database and records the import in it
// as an admin action, so the restored database tells where it came from.
func importStore(opts store.Options, file string) (err error) {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := store.RestoreBackup(f, opts); err != nil {
		return err
	}
	db, err := store.Open(opts)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = db.AppendEvent(store.Event{Type: core.EvAdminAction, Severity: store.Warning,
		Message: "database replaced by `heimnetz store import` on the command line from " + file})
	return err
}
