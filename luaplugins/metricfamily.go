package luaplugins

import (
	"fmt"
	"strings"
	"sync"

	"github.com/heimnetz/heimnetz/limits"
)

// MaxFamilies is the most metric families all plugins together may
// create in one agent; MaxPluginFamilies the most one plugin may create.
// A family's name is kept as long as one of its plugins is loaded, so the
// names are bounded by count here and by bytes in each plugin's budget.
const (
	MaxFamilies       = 2000
	MaxPluginFamilies = 100
)

// Families records the kind of every plugin metric family across all
// plugins, so one name is never a gauge for one plugin and a counter for
// another. It is shared by the agent's plugins and safe for concurrent use.
type Families struct {
	mu  sync.Mutex
	max int
	m   map[string]*family
}

type family struct {
	kind   string
	owners map[string]bool
}

// NewFamilies returns an empty family registry holding at most
// MaxFamilies families.
func NewFamilies() *Families { return &Families{max: MaxFamilies, m: map[string]*family{}} }

// claim records plugin as an owner of the family name of kind. name must
// be the plugin's own copy (see PluginMetrics.prepare), never a slice of
// a Lua string: it is kept until the last owner releases it.
func (f *Families) claim(name, kind, plugin string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	fam := f.m[name]
	if fam == nil {
		if len(f.m) >= f.max {
			return &limits.Violation{Plugin: plugin, Kind: limits.ErrOutput, Limit: fmt.Sprintf("%d metric families in the agent", f.max)}
		}
		f.m[strings.Clone(name)] = &family{kind: kind, owners: map[string]bool{plugin: true}}
		return nil
	}
	if fam.kind != kind {
		return fmt.Errorf("%w: %s is already a %s", ErrMetric, name, fam.kind)
	}
	fam.owners[plugin] = true
	return nil
}

func (f *Families) release(plugin string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for name, fam := range f.m {
		delete(fam.owners, plugin)
		if len(fam.owners) == 0 {
			delete(f.m, name)
		}
	}
}

// Len returns the number of families.
func (f *Families) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.m)
}

func (f *Families) kind(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fam := f.m[name]; fam != nil {
		return fam.kind
	}
	return ""
}
