package luaplugins

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
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

// ManifestError is a manifest problem with the field it concerns and, when
// the field is in the document, its line.
type ManifestError struct {
	Field string
	Line  int
	Err   error
}

// maxManifestErrorText bounds the text of a manifest error, which may quote
// what the manifest holds.
const maxManifestErrorText = 300

// Error returns the problem as one bounded, clean line.
func (e *ManifestError) Error() string {
	msg := oneline.Clean(e.Err.Error(), maxManifestErrorText)
	switch {
	case e.Field == "":
		return "manifest: " + msg
	case e.Line > 0:
		return fmt.Sprintf("manifest field %q (line %d): %s", e.Field, e.Line, msg)
	}
	return fmt.Sprintf("manifest field %q: %s", e.Field, msg)
}

// Unwrap lets errors.Is(err, ErrManifest) match every manifest error.
func (e *ManifestError) Unwrap() []error { return []error{ErrManifest, e.Err} }

// ParseManifest reads and validates a manifest. dirName, when not empty,
// must equal the manifest's name. known lists the permissions the agent
// offers; ceilings caps the limits a manifest may ask for.
func ParseManifest(data []byte, dirName string, known []string, ceilings limits.Limits) (*Manifest, error) {
	m, err := parseManifest(data, dirName, known, ceilings)
	var me *ManifestError
	if errors.As(err, &me) && me.Field != "" && me.Line == 0 {
		me.Line = fieldLine(data, me.Field)
	}
	return m, err
}

// textField checks a free-text field by oneline's rule: no control
// character but the tab, no C1 control, line or paragraph separator, bidi
// formatting or invalid UTF-8, so it shows as one line that reads as
// written wherever the agent prints it.
func textField(field, value string) error {
	at, r := oneline.Find(value)
	switch {
	case at < 0:
		return nil
	case r == utf8.RuneError:
		return &ManifestError{Field: field, Err: fmt.Errorf("invalid UTF-8 at byte %d", at)}
	}
	return &ManifestError{Field: field, Err: fmt.Errorf("holds %U at byte %d (control characters, line and paragraph separators and bidi formatting are not allowed)", r, at)}
}

// fieldLine returns the line of field ("limits.memory" for a nested one)
// in the YAML document, or 0.
func fieldLine(data []byte, field string) int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return 0
	}
	node, line := doc.Content[0], 0
	for _, part := range strings.Split(field, ".") {
		if node.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(node.Content); i += 2 {
			if node.Content[i].Value == part {
				line, node, found = node.Content[i].Line, node.Content[i+1], true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

func parseManifest(data []byte, dirName string, known []string, ceilings limits.Limits) (*Manifest, error) {
	if len(data) > MaxManifestBytes {
		return nil, &ManifestError{Err: fmt.Errorf("%d bytes is larger than the maximum of %d", len(data), MaxManifestBytes)}
	}
	var f manifestFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ManifestError{Err: errors.New("empty document")}
		}
		return nil, &ManifestError{Err: yamlError(err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &ManifestError{Err: errors.New("more than one YAML document")}
	}

	m := &Manifest{Name: f.Name, Version: f.Version, Description: strings.TrimSpace(f.Description), Asked: map[string]string{}}
	switch {
	case f.Name == "":
		return nil, &ManifestError{Field: "name", Err: errors.New("missing")}
	case !validName(f.Name):
		return nil, &ManifestError{Field: "name", Err: fmt.Errorf("%q must match [a-z][a-z0-9-]{0,31}", f.Name)}
	case dirName != "" && dirName != f.Name:
		return nil, &ManifestError{Field: "name", Err: fmt.Errorf("%q differs from the directory name %q", f.Name, dirName)}
	case f.Version == "":
		return nil, &ManifestError{Field: "version", Err: errors.New("missing")}
	case !versionRE.MatchString(f.Version):
		return nil, &ManifestError{Field: "version", Err: fmt.Errorf("%q is not a semantic version such as 1.2.0", f.Version)}
	case len(m.Description) > 200:
		return nil, &ManifestError{Field: "description", Err: errors.New("longer than 200 characters")}
	}
	if err := textField("description", m.Description); err != nil {
		return nil, err
	}

	m.Interval = DefaultInterval
	if f.Interval != "" {
		d, err := limits.ParseDuration(f.Interval)
		if err != nil {
			return nil, &ManifestError{Field: "interval", Err: err}
		}
		if d < MinInterval {
			return nil, &ManifestError{Field: "interval", Err: fmt.Errorf("%s is shorter than the minimum of %s", d, MinInterval)}
		}
		m.Interval = d
	}

	seen := map[string]bool{}
	for _, p := range f.Permissions {
		if !contains(known, p) {
			return nil, &ManifestError{Field: "permissions", Err: fmt.Errorf("unknown permission %q (known: %s)", p, strings.Join(known, ", "))}
		}
		if seen[p] {
			return nil, &ManifestError{Field: "permissions", Err: fmt.Errorf("%q listed twice", p)}
		}
		seen[p] = true
		m.Permissions = append(m.Permissions, p)
	}

	m.Limits = limits.Defaults()
	for _, key := range limits.Keys() {
		v, ok := f.Limits[key]
		if !ok {
			continue
		}
		if err := m.Limits.Set(key, v); err != nil {
			return nil, &ManifestError{Field: "limits." + key, Err: err}
		}
		m.Asked[key] = v
	}
	for key := range f.Limits {
		if _, ok := m.Asked[key]; !ok {
			return nil, &ManifestError{Field: "limits." + key, Err: fmt.Errorf("unknown limit (known: %s)", strings.Join(limits.Keys(), ", "))}
		}
	}
	if err := m.Limits.Within(ceilings); err != nil {
		return nil, &ManifestError{Field: "limits", Err: err}
	}
	return m, nil
}

// Allows reports whether the manifest grants permission p.
func (m *Manifest) Allows(p string) bool { return contains(m.Permissions, p) }

// yamlError shortens the YAML library's messages to one line and names
// the field when the library does.
func yamlError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "\n", "; ")
	if i := strings.Index(msg, "field "); i >= 0 && strings.Contains(msg, "not found in type") {
		// "line 3: field colour not found in type luaplugins.manifestFile"
		rest := msg[i+len("field "):]
		if j := strings.Index(rest, " "); j > 0 {
			return fmt.Errorf("%s: unknown field %s", strings.TrimSuffix(msg[:i], ": "), strconv.Quote(rest[:j]))
		}
	}
	return errors.New(msg)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
