// Command heimnetz is the heimnetz agent and its plugin SDK in one binary.
//
// Run `heimnetz help` for the commands; README.md describes them.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/heimnetz/heimnetz/agent/buildinfo"
)

// command is one sub-command.
type command struct {
	name    string
	summary string
	run     func(args []string) int
}

func commands() []command {
	return []command{
		{"run", "run the agent", cmdRun},
		{"plugin", "plugin tools: run, new, check, test, pack, sign, verify, install", cmdPlugin},
		{"key", "make an Ed25519 key pair for signing plugin packages", cmdKey},
		{"docs", "print the plugin reference (html, md or json)", cmdDocs},
		{"store", "export or import the database (backup)", cmdStore},
		{"passwd", "hash an admin password for the config", cmdPasswd},
		{"version", "print version, commit and platform", cmdVersion},
		{"help", "show help for a command", cmdHelp},
	}
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:])
		}
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "heimnetz: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "heimnetz — a small agent for home routers that runs sandboxed Lua plugins.\n\nUsage: heimnetz COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun `%s help COMMAND` for a command's flags.\n", program())
}

func cmdVersion(args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(os.Stderr, "heimnetz version: takes no arguments")
		return 2
	}
	fmt.Println(buildinfo.String())
	return 0
}

func cmdHelp(args []string) int {
	if len(args) == 0 {
		usage(os.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] && c.name != "help" {
			return c.run(append(args[1:], "-h"))
		}
	}
	fmt.Fprintf(os.Stderr, "heimnetz help: unknown command %q\n", strings.Join(args, " "))
	return 2
}

// parseExit is the exit status for a flag parse error: 0 for -h.
func parseExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// usageOf prints a flag set's usage with its synopsis.
func usageOf(fs *flag.FlagSet, synopsis, doc string) {
	w := fs.Output()
	fmt.Fprintf(w, "Usage: %s\n\n%s\n\nFlags:\n", synopsis, doc)
	fs.PrintDefaults()
}
