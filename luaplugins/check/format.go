package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats WriteReport accepts.
const (
	FormatText  = "text"
	FormatJSON  = "json"
	FormatSARIF = "sarif"
)

// WriteReport writes r in format (text, json or sarif). version names the
// tool's version in SARIF output.
func WriteReport(w io.Writer, r *Report, format, version string) error {
	switch format {
	case FormatText, "":
		return writeText(w, r)
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case FormatSARIF:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(SARIF([]*Report{r}, version))
	}
	return fmt.Errorf("unknown format %q (text, json or sarif)", format)
}

// writeText writes one line per finding, then a summary line:
//
//	main.lua:3:1: critical HN001 io is removed from the sandbox
//	    fix: remove the call; ...
func writeText(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s: %s %s %s\n    fix: %s\n", f.Position(), f.Severity, f.Rule, f.Message, f.Fix)
	}
	verdict := "ok"
	if r.Failed() {
		verdict = "FAILED (findings at or above high)"
	}
	fmt.Fprintf(&b, "%s: %d findings (critical %d, high %d, medium %d, low %d, info %d): %s\n", r.Plugin, len(r.Findings),
		r.Count(Critical), r.Count(High), r.Count(Medium), r.Count(Low), r.Count(Info), verdict)
	_, err := io.WriteString(w, b.String())
	return err
}
