package testrunner

import (
	"fmt"
	"io"
	"strings"
)

// Formats Write accepts.
const (
	FormatText  = "text"
	FormatTAP   = "tap"
	FormatJUnit = "junit"
)

// Write writes the report in format. Every format ends with the summary
// "N passed, N failed", written once: as the last line of text, as a TAP
// comment line ("# N passed, N failed", which TAP consumers ignore and
// people read) and as a trailing comment in JUnit XML, so CI logs can be
// read the same way whatever the format.
func Write(w io.Writer, r *Report, format string) error {
	var b strings.Builder
	summary := fmt.Sprintf("%d passed, %d failed", r.Passed(), r.Failed())
	switch format {
	case FormatText, "":
		for _, res := range r.Results {
			if res.Passed {
				fmt.Fprintf(&b, "ok   %s (%d instructions)\n", res.Name, res.Instructions)
				continue
			}
			fmt.Fprintf(&b, "FAIL %s: %s\n", res.Name, res.Message)
			for _, l := range res.Logs {
				fmt.Fprintf(&b, "     log %s\n", l)
			}
		}
		b.WriteString(summary + "\n")
	case FormatTAP:
		fmt.Fprintf(&b, "TAP version 13\n1..%d\n", len(r.Results))
		for i, res := range r.Results {
			if res.Passed {
				fmt.Fprintf(&b, "ok %d - %s\n", i+1, res.Name)
				continue
			}
			fmt.Fprintf(&b, "not ok %d - %s\n  ---\n  message: %q\n  ...\n", i+1, res.Name, res.Message)
		}
		b.WriteString("# " + summary + "\n")
	case FormatJUnit:
		writeJUnit(&b, r)
		b.WriteString("<!-- " + summary + " -->\n")
	default:
		return fmt.Errorf("unknown format %q (text, tap or junit)", format)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
