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

	"go.yaml.in/yaml/v3"

	"github.com/heimnetz/heimnetz/limits"
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

// ManifestError is a manifest problem with the field it concerns.
type ManifestError struct {
	Field string
	Err   error
}

func (e *ManifestError) Error() string {
	if e.Field == "" {
		return "manifest: " + e.Err.Error()
	}
	return fmt.Sprintf("manifest field %q: %v", e.Field, e.Err)
}

// Unwrap lets errors.Is(err, ErrManifest) match every manifest error.
func (e *ManifestError) Unwrap() []error { return []error{ErrManifest, e.Err} }

// ParseManifest reads and validates a manifest. dirName, when not empty,
// must equal the manifest's name. known lists the permissions the agent
// offers; ceilings caps the limits a manifest may ask for.
func ParseManifest(data []byte, dirName string, known []string, ceilings limits.Limits) (*Manifest, error) {
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
		return nil, &ManifestError{"name", errors.New("missing")}
	case !validName(f.Name):
		return nil, &ManifestError{"name", fmt.Errorf("%q must match [a-z][a-z0-9-]{0,31}", f.Name)}
	case dirName != "" && dirName != f.Name:
		return nil, &ManifestError{"name", fmt.Errorf("%q differs from the directory name %q", f.Name, dirName)}
	case f.Version == "":
		return nil, &ManifestError{"version", errors.New("missing")}
	case !versionRE.MatchString(f.Version):
		return nil, &ManifestError{"version", fmt.Errorf("%q is not a semantic version such as 1.2.0", f.Version)}
	case len(m.Description) > 200:
		return nil, &ManifestError{"description", errors.New("longer than 200 characters")}
	case strings.ContainsFunc(m.Description, func(r rune) bool { return r < ' ' && r != '\n' }):
		return nil, &ManifestError{"description", errors.New("contains control characters")}
	}

	m.Interval = DefaultInterval
	if f.Interval != "" {
		d, err := limits.ParseDuration(f.Interval)
		if err != nil {
			return nil, &ManifestError{"interval", err}
		}
		if d < MinInterval {
			return nil, &ManifestError{"interval", fmt.Errorf("%s is shorter than the minimum of %s", d, MinInterval)}
		}
		m.Interval = d
	}

	seen := map[string]bool{}
	for _, p := range f.Permissions {
		if !contains(known, p) {
			return nil, &ManifestError{"permissions", fmt.Errorf("unknown permission %q (known: %s)", p, strings.Join(known, ", "))}
		}
		if seen[p] {
			return nil, &ManifestError{"permissions", fmt.Errorf("%q listed twice", p)}
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
			return nil, &ManifestError{"limits." + key, err}
		}
		m.Asked[key] = v
	}
	for key := range f.Limits {
		if _, ok := m.Asked[key]; !ok {
			return nil, &ManifestError{"limits." + key, fmt.Errorf("unknown limit (known: %s)", strings.Join(limits.Keys(), ", "))}
		}
	}
	if err := m.Limits.Within(ceilings); err != nil {
		return nil, &ManifestError{"limits", err}
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
