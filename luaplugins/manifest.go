package luaplugins

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/limits/oneline"
)

// MaxManifestBytes caps the size of a manifest.yml.
const MaxManifestBytes = 16 << 10

// MinInterval is the shortest interval a manifest may ask for.
const MinInterval = time.Second

// DefaultInterval is the interval of a plugin whose manifest names none
// and of a bare .lua file.
const DefaultInterval = 15 * time.Second

var versionRE = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// ValidName reports whether s is a plugin name, [a-z][a-z0-9-]{0,31}:
// what a manifest's name, a package's top directory and an installed
// plugin's directory must be.
func ValidName(s string) bool { return validName(s) }

// validName reports whether s is a plugin name, [a-z][a-z0-9-]{0,31}. (As
// a regular expression the counted repetition compiles to ~15 KB of
// program held for the agent's lifetime.)
func validName(s string) bool {
	if len(s) == 0 || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ErrManifest marks every error that comes from a manifest that does not
// validate; `plugin run` exits 2 on it.
var ErrManifest = errors.New("invalid manifest")

// Manifest is what a plugin is and what it may do, read from manifest.yml
// before any of the plugin's code runs.
type Manifest struct {
	Name        string
	Version     string
	Description string
	Interval    time.Duration
	Permissions []string
	// Limits are the plugin's limits: the agent's defaults with the
	// manifest's requests applied, each checked against the ceilings.
	Limits limits.Limits
	// Asked holds the limits the manifest named, as written.
	Asked map[string]string
}

// manifestFile mirrors the YAML document; strict decoding rejects any
// field it does not name.
type manifestFile struct {
	Name        string            `yaml:"name"`
	Version     string            `yaml:"version"`
	Description string            `yaml:"description"`
	Interval    string            `yaml:"interval"`
	Permissions []string          `yaml:"permissions"`
	Limits      map[string]string `yaml:"limits"`
}

// ManifestError is a manifest problem with the field it concerns and,
// when the field is in the document, its line. Its text is one sentence,
// "FILE:LINE: FIELD: PROBLEM", as compilers print theirs.
type ManifestError struct {
	// File is the manifest's path as the user named it; empty means
	// manifest.yml. ReadDir sets it to the path it read.
	File  string
	Field string // "interval", "limits.memory"; empty for the document
	Line  int    // 1-based; 0 when the field is not in the document
	Err   error
}

// ErrAboveCeiling marks a manifest that asks for a limit above the
// owner's ceiling.
var ErrAboveCeiling = errors.New("above the ceiling")

// ceilingError is a limit above its ceiling; errors.Is matches it to
// ErrAboveCeiling.
type ceilingError struct{ msg string }

func (e ceilingError) Error() string        { return e.msg }
func (e ceilingError) Is(target error) bool { return target == ErrAboveCeiling }

// maxManifestErrorText bounds the text of a manifest error, which may quote
// what the manifest holds.
const maxManifestErrorText = 300

// Error returns the problem with its place: "manifest.yml:4: interval:
// "5x" is not a positive duration (use e.g. 30s)".
func (e *ManifestError) Error() string {
	loc := e.File
	if loc == "" {
		loc = ManifestFile
	}
	loc = oneline.Clean(loc, 200)
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	return loc + ": " + e.Problem()
}

// Problem returns the error without its file and line ("interval: ..."),
// for reports that print the place themselves.
func (e *ManifestError) Problem() string {
	msg := oneline.Clean(e.Err.Error(), maxManifestErrorText)
	if e.Field == "" {
		return msg
	}
	return fieldName(e.Field) + ": " + msg
}

// fieldName returns a field name as written when it is a plain name, and
// quoted (clipped) when a manifest's unknown field holds anything else.
func fieldName(f string) string {
	for i := 0; i < len(f); i++ {
		c := f[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return strconv.Quote(oneline.Clean(f, 64))
		}
	}
	if len(f) > 64 {
		return strconv.Quote(f[:64] + "...")
	}
	return f
}

// Unwrap lets errors.Is(err, ErrManifest) match every manifest error.
func (e *ManifestError) Unwrap() []error { return []error{ErrManifest, e.Err} }

// ParseManifest reads and validates a manifest. dirName, when not empty,
// must equal the manifest's name. known lists the permissions the agent
// offers; ceilings caps the limits a manifest may ask for. Every error is
// a *ManifestError.
func ParseManifest(data []byte, dirName string, known []string, ceilings limits.Limits) (*Manifest, error) {
	return parseManifest(data, dirName, known, ceilings)
}

// textField checks a free-text field by oneline's rule: no control
// character but the tab, no C1 control, line or paragraph separator, bidi
// formatting or invalid UTF-8, so it shows as one line that reads as
// written wherever the agent prints it.
func textField(value string) error {
	at, r := oneline.Find(value)
	switch {
	case at < 0:
		return nil
	case r == utf8.RuneError:
		return fmt.Errorf("invalid UTF-8 at byte %d", at)
	}
	return fmt.Errorf("holds %U at byte %d (control characters, line and paragraph separators and bidi formatting are not allowed)", r, at)
}

// manifestFields are the fields a manifest may hold, in the order the
// documentation lists them.
var manifestFields = []string{"name", "version", "description", "interval", "permissions", "limits"}

// yamlLineRE finds the line the YAML library names in a syntax error.
var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// readDocument parses the YAML document, checks the shape of every field
// (the known fields only, each once; scalars, a list of permissions, a
// mapping of limits) and returns the document's top-level mapping and
// the line of every field ("limits.memory", and "permissions.N" for the
// N-th permission).
func readDocument(data []byte) (*yaml.Node, map[string]int, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, &ManifestError{Err: errors.New("the manifest is empty; it needs at least name and version")}
		}
		msg := strings.ReplaceAll(strings.TrimPrefix(err.Error(), "yaml: "), "\n", "; ")
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, nil, &ManifestError{Line: line, Err: errors.New("not valid YAML: " + m[2])}
		}
		return nil, nil, &ManifestError{Err: errors.New("not valid YAML: " + msg)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, nil, &ManifestError{Line: extra.Line, Err: errors.New("more than one YAML document (remove the ---)")}
	}
	top := deref(&doc)
	if top.Kind == yaml.DocumentNode && len(top.Content) == 1 {
		top = deref(top.Content[0])
	}
	if top.Kind == yaml.ScalarNode && top.Tag == "!!null" {
		return nil, nil, &ManifestError{Err: errors.New("the manifest is empty; it needs at least name and version")}
	}
	if top.Kind != yaml.MappingNode {
		return nil, nil, &ManifestError{Line: top.Line, Err: errors.New(`the manifest must be a mapping of fields such as "name: my-plugin"`)}
	}
	lines := map[string]int{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], deref(top.Content[i+1])
		name := k.Value
		if !contains(manifestFields, name) {
			return nil, nil, &ManifestError{Field: name, Line: k.Line, Err: fmt.Errorf("unknown field (known: %s)", strings.Join(manifestFields, ", "))}
		}
		if first, ok := lines[name]; ok {
			return nil, nil, &ManifestError{Field: name, Line: k.Line, Err: fmt.Errorf("given twice (first on line %d)", first)}
		}
		lines[name] = k.Line
		switch name {
		case "permissions":
			if isNull(v) {
				continue
			}
			if v.Kind != yaml.SequenceNode {
				return nil, nil, &ManifestError{Field: name, Line: k.Line, Err: errors.New("must be a list such as [log, kv]")}
			}
			for j, item := range v.Content {
				item = deref(item)
				lines[name+"."+strconv.Itoa(j)] = item.Line
				if item.Kind != yaml.ScalarNode || isNull(item) {
					return nil, nil, &ManifestError{Field: name, Line: item.Line, Err: fmt.Errorf("item %d must be a module name such as kv", j+1)}
				}
			}
		case "limits":
			if isNull(v) {
				continue
			}
			if v.Kind != yaml.MappingNode {
				return nil, nil, &ManifestError{Field: name, Line: k.Line, Err: errors.New(`must be a mapping such as "memory: 4MiB" on the lines below it`)}
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				lk, lv := v.Content[j], deref(v.Content[j+1])
				field := name + "." + lk.Value
				if _, ok := lines[field]; ok {
					return nil, nil, &ManifestError{Field: field, Line: lk.Line, Err: fmt.Errorf("given twice (first on line %d)", lines[field])}
				}
				lines[field] = lk.Line
				if lk.Kind != yaml.ScalarNode || lv.Kind != yaml.ScalarNode {
					return nil, nil, &ManifestError{Field: field, Line: lk.Line, Err: errors.New("must be a single value such as 4MiB")}
				}
			}
		default:
			if v.Kind != yaml.ScalarNode {
				return nil, nil, &ManifestError{Field: name, Line: k.Line, Err: fmt.Errorf("must be a single value, not a %s", kindName(v.Kind))}
			}
		}
	}
	return top, lines, nil
}

// deref follows a YAML alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "value of another kind"
}

func parseManifest(data []byte, dirName string, known []string, ceilings limits.Limits) (*Manifest, error) {
	if len(data) > MaxManifestBytes {
		return nil, &ManifestError{Err: fmt.Errorf("%d bytes is larger than the maximum of %d", len(data), MaxManifestBytes)}
	}
	top, lines, err := readDocument(data)
	if err != nil {
		return nil, err
	}
	var f manifestFile
	if err := top.Decode(&f); err != nil {
		// readDocument checked every field's shape; this is what the
		// YAML library still refuses (a value it cannot read as text).
		msg := strings.ReplaceAll(strings.TrimPrefix(err.Error(), "yaml: "), "\n", "; ")
		return nil, &ManifestError{Err: errors.New("not valid: " + msg)}
	}
	bad := func(field string, err error) (*Manifest, error) {
		return nil, &ManifestError{Field: field, Line: lines[field], Err: err}
	}

	m := &Manifest{Name: f.Name, Version: f.Version, Description: strings.TrimSpace(f.Description), Asked: map[string]string{}}
	switch {
	case f.Name == "":
		return bad("name", errors.New(`missing (add a line such as "name: my-plugin")`))
	case !validName(f.Name):
		return bad("name", fmt.Errorf("%q is not a plugin name (lowercase letters, digits and -, starting with a letter, at most 32; e.g. wan-latency)", f.Name))
	case dirName != "" && dirName != f.Name:
		return bad("name", fmt.Errorf("%q differs from the directory name %q", f.Name, dirName))
	case f.Version == "":
		return bad("version", errors.New(`missing (add a line such as "version: 0.1.0")`))
	case !versionRE.MatchString(f.Version):
		return bad("version", fmt.Errorf("%q is not a semantic version (use e.g. 1.2.0)", f.Version))
	case len(m.Description) > 200:
		return bad("description", fmt.Errorf("%d bytes is longer than the maximum of 200", len(m.Description)))
	}
	if err := textField(m.Description); err != nil {
		return bad("description", err)
	}

	m.Interval = DefaultInterval
	if f.Interval != "" {
		d, err := limits.ParseDuration(f.Interval)
		if err != nil {
			return bad("interval", fmt.Errorf("%q is not a positive duration (use e.g. 30s)", f.Interval))
		}
		if d < MinInterval {
			return bad("interval", fmt.Errorf("%s is shorter than the minimum of %s", d, MinInterval))
		}
		m.Interval = d
	}

	seen := map[string]bool{}
	for i, p := range f.Permissions {
		at := &ManifestError{Field: "permissions", Line: lines["permissions."+strconv.Itoa(i)]}
		switch {
		case !contains(known, p):
			at.Err = fmt.Errorf("unknown permission %q (known: %s)", p, strings.Join(known, ", "))
			return nil, at
		case seen[p]:
			at.Err = fmt.Errorf("%q listed twice", p)
			return nil, at
		}
		seen[p] = true
		m.Permissions = append(m.Permissions, p)
	}

	m.Limits = limits.Defaults()
	var unknown []string
	for key := range f.Limits {
		if !contains(limits.Keys(), key) {
			unknown = append(unknown, key)
		}
	}
	if len(unknown) > 0 {
		// Report the first in the document, not the first in map order.
		slices.SortFunc(unknown, func(a, b string) int { return lines["limits."+a] - lines["limits."+b] })
		return bad("limits."+unknown[0], fmt.Errorf("unknown limit (known: %s)", strings.Join(limits.Keys(), ", ")))
	}
	for _, key := range limits.Keys() {
		v, ok := f.Limits[key]
		if !ok {
			continue
		}
		if err := m.Limits.Set(key, v); err != nil {
			// Set names the limit; the field already does.
			return bad("limits."+key, errors.New(strings.TrimPrefix(err.Error(), "limit "+key+": ")))
		}
		probe := ceilings
		if probe.Set(key, v) == nil {
			if err := probe.Within(ceilings); err != nil {
				return bad("limits."+key, ceilingError{strings.TrimPrefix(err.Error(), "limit "+key+": ")})
			}
		}
		m.Asked[key] = v
	}
	if err := m.Limits.Within(ceilings); err != nil {
		// A default the manifest did not ask to change is above a
		// ceiling the owner set lower than the defaults.
		key, rest, _ := strings.Cut(strings.TrimPrefix(err.Error(), "limit "), ": ")
		return bad("limits."+key, ceilingError{"the default " + rest + "; ask for at most " + ceilings.Format(key)})
	}
	return m, nil
}

// Allows reports whether the manifest grants permission p.
func (m *Manifest) Allows(p string) bool { return contains(m.Permissions, p) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
