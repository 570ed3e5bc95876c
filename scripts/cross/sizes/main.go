package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command without the process around it: it returns the exit
// status (0 ok, 1 unreadable binary, 2 bad usage).
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sizes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bin := fs.String("bin", "", "unstripped `binary` to measure (required)")
	top := fs.Int("top", 10, "how many packages (or modules) to list")
	group := fs.String("group", "package", "sum by `package` or by module")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *bin == "" || fs.NArg() != 0 || *top < 1 || (*group != "package" && *group != "module") {
		fmt.Fprintln(stderr, "usage: sizes -bin BINARY [-top N] [-group package|module]")
		return 2
	}
	if err := measure(*bin, *top, *group == "module", stdout); err != nil {
		fmt.Fprintf(stderr, "sizes: %v\n", err)
		return 1
	}
	return 0
}

func measure(path string, top int, byModule bool, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	syms, secs, err := readELF(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r := aggregate(syms, secs)
	if byModule {
		mods, err := modulesOf(path)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		r = r.byModule(mods)
	}
	return r.write(w, top)
}
