package main

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"sort"
)

// errNoSymbols means the binary was stripped (-s), so nothing can be
// attributed to packages.
var errNoSymbols = errors.New("binary has no symbol table (built with -s?)")

// symbol is one sized symbol of a binary.
type symbol struct {
	name    string
	size    uint64
	section int // index into the binary's sections
}

// section is one section of a binary as far as sizes go.
type section struct {
	name     string
	size     uint64
	fileData bool // occupies bytes in the file (not .bss)
	loaded   bool // part of the program image (not debug info)
	code     bool // executable
}

// row is one line of a report: a package (or a pseudo-package in
// parentheses) and the file bytes it accounts for.
type row struct {
	name  string
	bytes uint64
	text  uint64 // of bytes, those in executable sections
}

// report is the size of a binary's program image split by package.
type report struct {
	packages     []row  // largest first
	unattributed []row  // section bytes that no symbol covers, largest first
	image        uint64 // bytes of all loaded, file-backed sections
	text         uint64 // bytes of executable sections
	tables       uint64 // bytes of .gopclntab, which grows with code
	unit         string // what a row is: "package" (empty) or "module"
}

// aggregate sums the symbols per package. Only loaded, file-backed sections
// count, so .bss and debug info never inflate a package.
func aggregate(syms []symbol, secs []section) report {
	var r report
	perPkg := map[string]*row{}
	covered := make([]uint64, len(secs))
	for _, s := range syms {
		if s.section < 0 || s.section >= len(secs) || s.size == 0 {
			continue
		}
		sec := secs[s.section]
		if !sec.fileData || !sec.loaded {
			continue
		}
		pkg := packageOf(s.name)
		if pkg == "" {
			pkg = "(linker: " + sec.name + ")"
		}
		p := perPkg[pkg]
		if p == nil {
			p = &row{name: pkg}
			perPkg[pkg] = p
		}
		p.bytes += s.size
		if sec.code {
			p.text += s.size
		}
		covered[s.section] += s.size
	}
	for i, sec := range secs {
		if !sec.fileData || !sec.loaded {
			continue
		}
		r.image += sec.size
		if sec.code {
			r.text += sec.size
		}
		if sec.name == ".gopclntab" {
			r.tables += sec.size
		}
		if sec.size > covered[i] {
			r.unattributed = append(r.unattributed, row{name: "(no symbol: " + sec.name + ")", bytes: sec.size - covered[i]})
		}
	}
	for _, p := range perPkg {
		r.packages = append(r.packages, *p)
	}
	sortRows(r.packages)
	sortRows(r.unattributed)
	return r
}

func sortRows(rows []row) {
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].bytes != rows[j].bytes {
			return rows[i].bytes > rows[j].bytes
		}
		return rows[i].name < rows[j].name
	})
}

// readELF extracts the symbols and sections of an ELF binary.
func readELF(r io.ReaderAt) ([]symbol, []section, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read ELF: %w", err)
	}
	defer f.Close()
	elfSyms, err := f.Symbols()
	if err != nil {
		if errors.Is(err, elf.ErrNoSymbols) {
			return nil, nil, errNoSymbols
		}
		return nil, nil, fmt.Errorf("read symbols: %w", err)
	}
	secs := make([]section, len(f.Sections))
	for i, s := range f.Sections {
		secs[i] = section{
			name:     s.Name,
			size:     s.Size,
			fileData: s.Type != elf.SHT_NOBITS && s.Type != elf.SHT_NULL,
			loaded:   s.Flags&elf.SHF_ALLOC != 0,
			code:     s.Flags&elf.SHF_EXECINSTR != 0,
		}
	}
	syms := make([]symbol, 0, len(elfSyms))
	for _, s := range elfSyms {
		syms = append(syms, symbol{name: s.Name, size: s.Size, section: int(s.Section)})
	}
	return syms, secs, nil
}

// tableShare estimates the part of .gopclntab a package causes: the
// function tables grow with code, so they are split in proportion to each
// package's bytes of code.
func (r report) tableShare(p row) uint64 {
	if r.text == 0 {
		return 0
	}
	return uint64(float64(r.tables) * float64(p.text) / float64(r.text))
}

// write prints the top n packages, the unattributed bytes and the total.
// The "with tables" column adds each package's estimated share of
// .gopclntab, the better measure of what dropping a package would save.
func (r report) write(w io.Writer, n int) error {
	pct := func(b uint64) float64 {
		if r.image == 0 {
			return 0
		}
		return 100 * float64(b) / float64(r.image)
	}
	const format = "%-48s %10d %6.1f %12d\n"
	unit := r.unit
	if unit == "" {
		unit = "package"
	}
	if _, err := fmt.Fprintf(w, "%-48s %10s %6s %12s\n", unit, "bytes", "%", "with tables"); err != nil {
		return err
	}
	var rest row
	others := 0
	for i, p := range r.packages {
		if i >= n {
			rest.bytes += p.bytes
			rest.text += p.text
			others++
			continue
		}
		fmt.Fprintf(w, format, p.name, p.bytes, pct(p.bytes), p.bytes+r.tableShare(p))
	}
	fmt.Fprintf(w, format, fmt.Sprintf("(%d other %ss)", others, unit), rest.bytes, pct(rest.bytes), rest.bytes+r.tableShare(rest))
	for _, u := range r.unattributed {
		fmt.Fprintf(w, "%-48s %10d %6.1f\n", u.name, u.bytes, pct(u.bytes))
	}
	_, err := fmt.Fprintf(w, "%-48s %10d %6.1f\n", "(program image total)", r.image, 100.0)
	return err
}
