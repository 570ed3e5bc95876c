package check

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Severity ranks a finding. The order matters: Failed compares against
// High.
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = []string{"info", "low", "medium", "high", "critical"}

// String returns the severity's lower-case name.
func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity name.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if n == strings.ToLower(s) {
			return Severity(i), nil
		}
	}
	return Info, fmt.Errorf("unknown severity %q (known: %s)", s, strings.Join(severityNames, ", "))
}

// MarshalJSON writes the severity's name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a severity's name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	v, err := ParseSeverity(name)
	*s = v
	return err
}

// Finding is one problem the checker found.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// File is the file's path relative to the plugin directory
	// ("main.lua", "manifest.yml").
	File string `json:"file"`
	// Line and Column are 1-based; 0 means the whole file.
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// Position returns file:line:column, or less where the finding has no line.
func (f Finding) Position() string {
	switch {
	case f.Line <= 0:
		return f.File
	case f.Column <= 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
}

// Report is the result of checking one plugin.
type Report struct {
	// Plugin is the plugin's name (from its manifest, or derived from
	// the path when the manifest is unusable).
	Plugin string `json:"plugin"`
	// Path is what was checked, as given.
	Path     string    `json:"path"`
	Findings []Finding `json:"findings"`
	// Metrics lists the metric names main.lua passes as string literals
	// to metrics.set and metrics.add, sorted, without duplicates.
	Metrics []string `json:"metrics"`
	// Permissions lists the permissions the manifest grants.
	Permissions []string `json:"permissions"`
}

// Worst returns the highest severity in the report, or -1 when it is empty.
func (r *Report) Worst() Severity {
	worst := Severity(-1)
	for _, f := range r.Findings {
		worst = max(worst, f.Severity)
	}
	return worst
}

// Failed reports whether the report holds a finding at or above High:
// such a plugin is not installed and `plugin check` exits 1.
func (r *Report) Failed() bool { return r.Worst() >= High }

// Count returns how many findings have severity s.
func (r *Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// sortFindings orders findings by file, line, column and rule, so output
// is stable.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return fileRank(a.File) < fileRank(b.File) || (fileRank(a.File) == fileRank(b.File) && a.File < b.File)
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
}

// fileRank puts the manifest first, then main.lua, then the rest.
func fileRank(f string) int {
	switch f {
	case "manifest.yml":
		return 0
	case "main.lua":
		return 1
	case "test.lua":
		return 2
	}
	return 3
}
