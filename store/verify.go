package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// The bbolt file format, as far as verifyFile reads it. bbolt writes its
// structures in the machine's byte order (binary.NativeEndian).
const (
	boltMagic         = 0xED0CDAED
	boltVersion       = 2
	pageHeaderSize    = 16 // id u64, flags u16, count u16, overflow u32
	elementSize       = 16 // leaf: flags, pos, ksize, vsize u32; branch: pos, ksize u32, pgid u64
	metaSize          = 64 // magic, version, pageSize, flags u32; root, sequence, freelist, pgid, txid, checksum u64
	metaChecksumSpan  = 56
	flagBranch        = 0x01
	flagLeaf          = 0x02
	flagMeta          = 0x04
	flagFreelist      = 0x10
	bucketLeafFlag    = 0x01
	bucketHeaderSize  = 16 // root pgid u64, sequence u64
	noFreelist        = ^uint64(0)
	minPageSize       = 512
	maxPageSize       = 64 << 10
	sqliteHeader      = "SQLite format 3\x00"
	maxVerifyElements = 1 << 24
)

// boltMeta is a decoded meta page.
type boltMeta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	hwm      uint64 // high water mark: pages in use
	txid     uint64
}

// verifier walks a bbolt file through ReadAt, without mapping it, and
// checks everything bbolt trusts when it maps the file: page bounds, page
// types, element offsets, key order, and that no page is used twice.
type verifier struct {
	f     io.ReaderAt
	size  int64
	meta  boltMeta
	seen  map[uint64]bool
	elems int
}

// verifyFile checks the bbolt file at path. It returns an ErrCorrupt error
// that says what is wrong: empty, foreign (text, SQLite, other), truncated
// or structurally damaged. A file that passes can be opened by bbolt, and
// checked with Tx.Check, without a panic.
func verifyFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return verifyReader(f, st.Size())
}

// verifyReader checks a bbolt file of size bytes read through r.
func verifyReader(r io.ReaderAt, size int64) error {
	if size == 0 {
		return fmt.Errorf("%w: empty file (0 bytes)", ErrCorrupt)
	}
	head := make([]byte, min(size, 4096))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read header: %w", err)
	}
	if kind := foreignKind(head); kind != "" {
		return fmt.Errorf("%w: not a bbolt database but %s (%d bytes)", ErrCorrupt, kind, size)
	}
	v := &verifier{f: r, size: size, seen: map[uint64]bool{}}
	m, err := v.readMeta()
	if err != nil {
		return err
	}
	v.meta = m
	if m.hwm > uint64(size)/uint64(m.pageSize) {
		return fmt.Errorf("%w: truncated: %d pages of %d bytes need %d bytes, file has %d", ErrCorrupt, m.hwm, m.pageSize, m.hwm*uint64(m.pageSize), size)
	}
	if m.root < 2 || m.root >= m.hwm {
		return fmt.Errorf("%w: root page %d outside [2, %d)", ErrCorrupt, m.root, m.hwm)
	}
	if err := v.tree(m.root); err != nil {
		return err
	}
	if m.freelist != noFreelist {
		if err := v.freelist(m.freelist); err != nil {
			return err
		}
	}
	return v.metaHeaders()
}

// errTornMeta marks a file whose tree is sound but one of whose two meta
// pages has a damaged page header. bbolt reads such a file through the
// other meta page, but its Tx.Check asserts on both headers (and would
// crash the process), so the file is rewritten before use (see repair).
var errTornMeta = errors.New("meta page header damaged")

// metaHeaders checks the page headers of both meta pages.
func (v *verifier) metaHeaders() error {
	ne := binary.NativeEndian
	for id := uint64(0); id < 2; id++ {
		hdr := make([]byte, pageHeaderSize)
		if _, err := v.f.ReadAt(hdr, int64(id)*int64(v.meta.pageSize)); err != nil {
			return fmt.Errorf("%w: meta page %d: %v", ErrCorrupt, id, err)
		}
		if ne.Uint64(hdr) != id || ne.Uint16(hdr[8:]) != flagMeta {
			return fmt.Errorf("%w: %w: page %d (the other meta page is good)", ErrCorrupt, errTornMeta, id)
		}
	}
	return nil
}

// foreignKind names what a file that is not bbolt looks like, or "".
func foreignKind(head []byte) string {
	if bytes.HasPrefix(head, []byte(sqliteHeader)) {
		return "an SQLite database"
	}
	if len(head) >= pageHeaderSize+4 && binary.NativeEndian.Uint32(head[pageHeaderSize:]) == boltMagic {
		return ""
	}
	if len(head) >= pageHeaderSize+4 && binary.NativeEndian.Uint32(head[pageHeaderSize:]) != boltMagic &&
		(binary.BigEndian.Uint32(head[pageHeaderSize:]) == boltMagic || binary.LittleEndian.Uint32(head[pageHeaderSize:]) == boltMagic) {
		return "a bbolt database of the other byte order"
	}
	text := true
	for _, c := range head {
		if c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
			text = false
			break
		}
	}
	if text {
		return "a text file"
	}
	// The first meta page may be torn; bbolt can still use the second one,
	// so an unknown header alone is not proof of a foreign file.
	return ""
}

// readMeta returns the meta page bbolt would use: the valid one with the
// higher transaction id.
func (v *verifier) readMeta() (boltMeta, error) {
	m0, err0 := v.metaAt(0)
	// The second meta page sits at one page size, which meta 0 may not be
	// able to tell; try every size bbolt could have used.
	var m1 boltMeta
	err1 := errors.New("no second meta page at any page size")
	for ps := int64(minPageSize); ps <= maxPageSize; ps *= 2 {
		if m, err := v.metaAt(ps); err == nil && int64(m.pageSize) == ps {
			m1, err1 = m, nil
			break
		}
	}
	switch {
	case err0 != nil && err1 != nil:
		return boltMeta{}, fmt.Errorf("%w: no valid meta page (first: %v; second: %v)", ErrCorrupt, err0, err1)
	case err0 != nil:
		return m1, nil
	case err1 != nil:
		return m0, nil
	case m1.txid > m0.txid:
		return m1, nil
	default:
		return m0, nil
	}
}

// metaAt decodes and validates the meta page at offset off.
func (v *verifier) metaAt(off int64) (boltMeta, error) {
	buf := make([]byte, pageHeaderSize+metaSize)
	if off+int64(len(buf)) > v.size {
		return boltMeta{}, errors.New("meta page beyond end of file")
	}
	if _, err := v.f.ReadAt(buf, off); err != nil {
		return boltMeta{}, err
	}
	ne := binary.NativeEndian
	if ne.Uint16(buf[8:]) != flagMeta {
		return boltMeta{}, fmt.Errorf("page at %d is not a meta page", off)
	}
	mb := buf[pageHeaderSize:]
	if ne.Uint32(mb[0:]) != boltMagic {
		return boltMeta{}, errors.New("bad magic")
	}
	if ne.Uint32(mb[4:]) != boltVersion {
		return boltMeta{}, fmt.Errorf("bbolt format version %d, want %d", ne.Uint32(mb[4:]), boltVersion)
	}
	h := fnv.New64a()
	h.Write(mb[:metaChecksumSpan])
	if h.Sum64() != ne.Uint64(mb[56:]) {
		return boltMeta{}, errors.New("meta checksum mismatch")
	}
	m := boltMeta{
		pageSize: ne.Uint32(mb[8:]),
		root:     ne.Uint64(mb[16:]),
		freelist: ne.Uint64(mb[32:]),
		hwm:      ne.Uint64(mb[40:]),
		txid:     ne.Uint64(mb[48:]),
	}
	if m.pageSize < minPageSize || m.pageSize > maxPageSize || m.pageSize&(m.pageSize-1) != 0 {
		return boltMeta{}, fmt.Errorf("page size %d", m.pageSize)
	}
	if m.hwm < 3 {
		return boltMeta{}, fmt.Errorf("high water mark %d pages", m.hwm)
	}
	return m, nil
}

// page reads page id with its overflow pages and checks its header.
func (v *verifier) page(id uint64) ([]byte, error) {
	ps := int64(v.meta.pageSize)
	if id < 2 || id >= v.meta.hwm {
		return nil, fmt.Errorf("%w: page %d outside [2, %d)", ErrCorrupt, id, v.meta.hwm)
	}
	hdr := make([]byte, pageHeaderSize)
	if _, err := v.f.ReadAt(hdr, int64(id)*ps); err != nil {
		return nil, fmt.Errorf("%w: page %d: %v", ErrCorrupt, id, err)
	}
	ne := binary.NativeEndian
	if got := ne.Uint64(hdr); got != id {
		return nil, fmt.Errorf("%w: page %d claims id %d", ErrCorrupt, id, got)
	}
	overflow := uint64(ne.Uint32(hdr[12:]))
	if id+overflow >= v.meta.hwm {
		return nil, fmt.Errorf("%w: page %d overflows past the high water mark", ErrCorrupt, id)
	}
	for i := uint64(0); i <= overflow; i++ {
		if v.seen[id+i] {
			return nil, fmt.Errorf("%w: page %d referenced twice", ErrCorrupt, id+i)
		}
		v.seen[id+i] = true
	}
	buf := make([]byte, int64(overflow+1)*ps)
	if _, err := v.f.ReadAt(buf, int64(id)*ps); err != nil {
		return nil, fmt.Errorf("%w: page %d: %v", ErrCorrupt, id, err)
	}
	return buf, nil
}

// treeItem is a page still to check, with the key range its keys must lie
// in: [lo, hi), nil meaning unbounded.
type treeItem struct {
	id     uint64
	lo, hi []byte
}

// tree checks the b+tree rooted at page root and every bucket below it,
// iteratively so a deep or cyclic file cannot exhaust the stack.
func (v *verifier) tree(root uint64) error {
	stack := []treeItem{{id: root}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		buf, err := v.page(it.id)
		if err != nil {
			return err
		}
		children, err := v.elements(it, buf)
		if err != nil {
			return err
		}
		stack = append(stack, children...)
	}
	return nil
}

// elements checks the elements of one branch or leaf page (a page of the
// file, or an inline bucket's page when it.id is 0) and returns the pages
// to check next: branch children and the roots of nested buckets.
func (v *verifier) elements(it treeItem, buf []byte) ([]treeItem, error) {
	ne := binary.NativeEndian
	if len(buf) < pageHeaderSize {
		return nil, fmt.Errorf("%w: page %d shorter than its header", ErrCorrupt, it.id)
	}
	flags := ne.Uint16(buf[8:])
	count := int(ne.Uint16(buf[10:]))
	if flags != flagBranch && flags != flagLeaf {
		return nil, fmt.Errorf("%w: page %d has type %#x where a branch or leaf belongs", ErrCorrupt, it.id, flags)
	}
	if pageHeaderSize+count*elementSize > len(buf) {
		return nil, fmt.Errorf("%w: page %d: %d elements do not fit", ErrCorrupt, it.id, count)
	}
	v.elems += count
	if v.elems > maxVerifyElements {
		return nil, fmt.Errorf("%w: more than %d elements", ErrCorrupt, maxVerifyElements)
	}
	var next []treeItem
	prev := it.lo
	for i := 0; i < count; i++ {
		at := pageHeaderSize + i*elementSize
		e := buf[at : at+elementSize]
		var pos, ksize, vsize uint64
		if flags == flagBranch {
			pos, ksize = uint64(ne.Uint32(e[0:])), uint64(ne.Uint32(e[4:]))
		} else {
			pos, ksize, vsize = uint64(ne.Uint32(e[4:])), uint64(ne.Uint32(e[8:])), uint64(ne.Uint32(e[12:]))
		}
		start := uint64(at) + pos
		end := start + ksize + vsize
		if end > uint64(len(buf)) || end < start {
			return nil, fmt.Errorf("%w: page %d element %d points outside the page", ErrCorrupt, it.id, i)
		}
		key := buf[start : start+ksize]
		if i > 0 && bytes.Compare(prev, key) >= 0 {
			return nil, fmt.Errorf("%w: page %d element %d: keys out of order", ErrCorrupt, it.id, i)
		}
		if i == 0 && prev != nil && bytes.Compare(prev, key) > 0 {
			return nil, fmt.Errorf("%w: page %d: first key below its parent's", ErrCorrupt, it.id)
		}
		if it.hi != nil && bytes.Compare(key, it.hi) >= 0 {
			return nil, fmt.Errorf("%w: page %d element %d: key beyond its parent's range", ErrCorrupt, it.id, i)
		}
		prev = key
		if flags == flagBranch {
			hi := it.hi
			if i+1 < count {
				ne2 := buf[at+elementSize:]
				p2, k2 := uint64(ne.Uint32(ne2[0:])), uint64(ne.Uint32(ne2[4:]))
				s2 := uint64(at+elementSize) + p2
				if s2+k2 > uint64(len(buf)) || s2+k2 < s2 {
					return nil, fmt.Errorf("%w: page %d element %d points outside the page", ErrCorrupt, it.id, i+1)
				}
				hi = bytes.Clone(buf[s2 : s2+k2])
			}
			next = append(next, treeItem{id: ne.Uint64(e[8:]), lo: bytes.Clone(key), hi: hi})
			continue
		}
		lflags := ne.Uint32(e[0:])
		if lflags&^bucketLeafFlag != 0 {
			return nil, fmt.Errorf("%w: page %d element %d has flags %#x", ErrCorrupt, it.id, i, lflags)
		}
		if lflags&bucketLeafFlag == 0 {
			continue
		}
		val := buf[start+ksize : end]
		if len(val) < bucketHeaderSize {
			return nil, fmt.Errorf("%w: page %d element %d: bucket header of %d bytes", ErrCorrupt, it.id, i, len(val))
		}
		if root := ne.Uint64(val); root != 0 {
			next = append(next, treeItem{id: root})
			continue
		}
		inline := val[bucketHeaderSize:]
		if len(inline) < pageHeaderSize || ne.Uint16(inline[8:]) != flagLeaf {
			return nil, fmt.Errorf("%w: page %d element %d: bad inline bucket", ErrCorrupt, it.id, i)
		}
		sub, err := v.elements(treeItem{}, bytes.Clone(inline))
		if err != nil {
			return nil, fmt.Errorf("inline bucket %q: %w", key, err)
		}
		next = append(next, sub...)
	}
	return next, nil
}

// freelist checks a synced freelist page: ids inside the file, not in use
// and not listed twice.
func (v *verifier) freelist(id uint64) error {
	buf, err := v.page(id)
	if err != nil {
		return fmt.Errorf("freelist: %w", err)
	}
	ne := binary.NativeEndian
	if ne.Uint16(buf[8:]) != flagFreelist {
		return fmt.Errorf("%w: freelist page %d has type %#x", ErrCorrupt, id, ne.Uint16(buf[8:]))
	}
	idx, count := uint64(0), uint64(ne.Uint16(buf[10:]))
	if count == 0xFFFF {
		if len(buf) < pageHeaderSize+8 {
			return fmt.Errorf("%w: freelist page %d too short", ErrCorrupt, id)
		}
		idx, count = 1, ne.Uint64(buf[pageHeaderSize:])
	}
	if count > uint64(len(buf)-pageHeaderSize)/8-idx {
		return fmt.Errorf("%w: freelist page %d: %d ids do not fit", ErrCorrupt, id, count)
	}
	listed := map[uint64]bool{}
	for i := uint64(0); i < count; i++ {
		free := ne.Uint64(buf[pageHeaderSize+(idx+i)*8:])
		if free < 2 || free >= v.meta.hwm || v.seen[free] || listed[free] {
			return fmt.Errorf("%w: freelist page %d lists page %d, which is in use, out of range or listed twice", ErrCorrupt, id, free)
		}
		listed[free] = true
	}
	return nil
}
