package main

import (
	"debug/buildinfo"
	"fmt"
	"sort"
	"strings"
)

// stdModule names the standard library (and its vendored packages) in a
// report grouped by module.
const stdModule = "(standard library)"

// modulesOf returns the module paths a binary was built from: the main
// module and every dependency, as recorded by the go command.
func modulesOf(path string) ([]string, error) {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read build info: %w", err)
	}
	mods := []string{info.Main.Path}
	for _, d := range info.Deps {
		mods = append(mods, d.Path)
	}
	return mods, nil
}

// moduleOf returns the module among mods that holds package pkg: the
// longest module path that is pkg or a parent of it. Packages of no listed
// module whose first path element has no dot are the standard library's;
// others keep their package path.
func moduleOf(pkg string, mods []string) string {
	best := ""
	for _, m := range mods {
		if (pkg == m || strings.HasPrefix(pkg, m+"/")) && len(m) > len(best) {
			best = m
		}
	}
	if best != "" {
		return best
	}
	first, _, _ := strings.Cut(pkg, "/")
	if !strings.Contains(first, ".") || first == "vendor" {
		return stdModule
	}
	return pkg
}

// byModule folds a report's package rows into one row per module.
func (r report) byModule(mods []string) report {
	sums := map[string]*row{}
	for _, p := range r.packages {
		name := p.name
		if !strings.HasPrefix(name, "(") {
			name = moduleOf(name, mods)
		}
		s := sums[name]
		if s == nil {
			s = &row{name: name}
			sums[name] = s
		}
		s.bytes += p.bytes
		s.text += p.text
	}
	out := r
	out.unit = "module"
	out.packages = nil
	for _, s := range sums {
		out.packages = append(out.packages, *s)
	}
	sort.Slice(out.packages, func(i, j int) bool {
		if out.packages[i].bytes != out.packages[j].bytes {
			return out.packages[i].bytes > out.packages[j].bytes
		}
		return out.packages[i].name < out.packages[j].name
	})
	return out
}
