// Package fixedgzip compresses a whole response body into a gzip stream
// (RFC 1952) whose single DEFLATE block (RFC 1951) uses the fixed Huffman
// codes and greedy LZ77 matches.
//
// It exists for memory, not for ratio. A general-purpose encoder holds
// large tables per call or per pooled writer: klauspost/compress's
// stateless encoder takes a ~260 KB token buffer from a sync.Pool, its
// level 1 ~800 KB, the standard library's ~1.2 MB. On a 32-bit router
// a 260 KB allocation made again after every garbage collection fragments
// the 4 MiB heap arena until the runtime maps a second one (measured: Go's
// mapped memory 6.4 → 10.5 MiB under qemu-mipsel with /metrics scraped
// with gzip once a second). This encoder needs a 16 KB hash table from a
// pool and the output buffer, nothing else. For the agent's text (status
// page, /metrics, JSON) its output is about a third larger than a dynamic
// Huffman encoder's, still a fifth of the input.
package fixedgzip

import (
	"encoding/binary"
	"hash/crc32"
	"math/bits"
	"sync"
)

const (
	minMatch  = 4 // shortest match looked for (hashes cover 4 bytes)
	maxMatch  = 258
	maxOffset = 32768
	tableBits = 12
)

// tables pools the hash tables of recent positions (stored +1, so that 0
// means empty).
var tables = sync.Pool{New: func() any { return new([1 << tableBits]int32) }}

// Append appends the gzip encoding of src to dst and returns the extended
// slice. The stream has no file name, no modification time and the OS
// byte "unknown", so equal input gives equal output.
func Append(dst, src []byte) []byte {
	dst = append(dst, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255)
	dst = AppendDeflate(dst, src)
	dst = binary.LittleEndian.AppendUint32(dst, crc32.ChecksumIEEE(src))
	return binary.LittleEndian.AppendUint32(dst, uint32(len(src)))
}

// AppendDeflate appends a raw DEFLATE stream of src (one final block with
// the fixed Huffman codes) to dst and returns the extended slice.
func AppendDeflate(dst, src []byte) []byte {
	w := bitWriter{out: dst}
	w.block(src, true)
	return w.flush()
}

// Prefix is text compressed once to start many gzip bodies: a scrape's
// shared rendering, followed by a few lines made for each request. Its
// DEFLATE block is not the last of its stream and ends on a byte
// boundary (an empty stored block, as a sync flush writes), so the
// blocks of whatever follows can be appended to it as they are.
type Prefix struct {
	deflate []byte
	crc     uint32
	size    uint32 // len(text) mod 2^32, as the gzip trailer counts it
}

// NewPrefix compresses text into a Prefix. text is not kept.
func NewPrefix(text []byte) *Prefix {
	var w bitWriter
	w.block(text, false)
	w.write(0, 3) // BFINAL = 0, BTYPE = 00 (stored), then LEN 0, NLEN ffff
	out := append(w.flush(), 0, 0, 0xff, 0xff)
	return &Prefix{deflate: out, crc: crc32.ChecksumIEEE(text), size: uint32(len(text))}
}

// Append appends the gzip encoding of the prefix's text followed by src
// to dst and returns the extended slice; only src is compressed here.
// It decompresses to exactly what Append(dst, text+src) does.
func (p *Prefix) Append(dst, src []byte) []byte {
	dst = append(dst, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255)
	dst = append(dst, p.deflate...)
	dst = AppendDeflate(dst, src)
	dst = binary.LittleEndian.AppendUint32(dst, crc32.Update(p.crc, crc32.IEEETable, src))
	return binary.LittleEndian.AppendUint32(dst, p.size+uint32(len(src)))
}

// block writes src as one DEFLATE block with the fixed Huffman codes,
// the stream's last when final. It may end inside a byte: the next block
// starts at the next bit, so the caller flushes only at the stream's end.
func (w *bitWriter) block(src []byte, final bool) {
	if final {
		w.write(1|1<<1, 3) // BFINAL = 1, BTYPE = 01 (fixed codes)
	} else {
		w.write(1<<1, 3) // BFINAL = 0, BTYPE = 01
	}
	table := tables.Get().(*[1 << tableBits]int32)
	clear(table[:])
	lit := 0 // start of the literals not yet written
	for i := 0; i+minMatch <= len(src); {
		cur := binary.LittleEndian.Uint32(src[i:])
		h := hash(cur)
		cand := int(table[h]) - 1
		table[h] = int32(i + 1)
		if cand < 0 || i-cand > maxOffset || binary.LittleEndian.Uint32(src[cand:]) != cur {
			i++
			continue
		}
		n := minMatch
		for i+n < len(src) && n < maxMatch && src[cand+n] == src[i+n] {
			n++
		}
		for _, c := range src[lit:i] {
			w.literal(c)
		}
		w.match(n, i-cand)
		// Remember the positions inside the match too: later text often
		// repeats from there.
		end := i + n
		for j := i + 1; j < end && j+minMatch <= len(src); j++ {
			table[hash(binary.LittleEndian.Uint32(src[j:]))] = int32(j + 1)
		}
		i, lit = end, end
	}
	tables.Put(table)
	for _, c := range src[lit:] {
		w.literal(c)
	}
	w.symbol(256) // end of block
}

// hash maps four bytes to a table slot.
func hash(u uint32) uint32 { return (u * 0x1e35a7bd) >> (32 - tableBits) }

// bitWriter packs codes least significant bit first, as DEFLATE does.
type bitWriter struct {
	out   []byte
	acc   uint64
	nbits uint
}

// write appends the n (at most 16) low bits of v.
func (w *bitWriter) write(v uint64, n uint) {
	w.acc |= v << w.nbits
	w.nbits += n
	if w.nbits >= 48 {
		w.out = binary.LittleEndian.AppendUint32(w.out, uint32(w.acc))
		w.acc >>= 32
		w.nbits -= 32
	}
}

// flush writes the bits still held, padding the last byte with zeros, and
// returns the output.
func (w *bitWriter) flush() []byte {
	for w.nbits > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		if w.nbits > 8 {
			w.nbits -= 8
		} else {
			w.nbits = 0
		}
	}
	w.acc = 0
	return w.out
}

// fixedCode is a literal/length symbol's fixed Huffman code (RFC 1951
// §3.2.6), bit-reversed because DEFLATE packs bits least significant
// first while Huffman codes are defined most significant bit first.
type fixedCode struct {
	bits uint16
	n    uint8
}

// fixedCodes are the codes of symbols 0-287.
var fixedCodes = func() (t [288]fixedCode) {
	for s := range t {
		var code, n uint
		switch {
		case s < 144:
			code, n = 0x30+uint(s), 8
		case s < 256:
			code, n = 0x190+uint(s-144), 9
		case s < 280:
			code, n = uint(s-256), 7
		default:
			code, n = 0xc0+uint(s-280), 8
		}
		t[s] = fixedCode{uint16(reverse(code, n)), uint8(n)}
	}
	return t
}()

// symbol writes literal/length symbol s (0-287).
func (w *bitWriter) symbol(s int) {
	c := fixedCodes[s]
	w.write(uint64(c.bits), uint(c.n))
}

// literal writes one byte as a literal.
func (w *bitWriter) literal(c byte) { w.symbol(int(c)) }

// lengthBase and lengthExtra are the length codes 257-285; distBase and
// distExtra the distance codes 0-29 (RFC 1951 §3.2.5).
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// match writes a back-reference of length n (3-258) at distance d
// (1-32768).
func (w *bitWriter) match(n, d int) {
	lc := len(lengthBase) - 1
	for int(lengthBase[lc]) > n {
		lc--
	}
	w.symbol(257 + lc)
	if e := lengthExtra[lc]; e > 0 {
		w.write(uint64(n-int(lengthBase[lc])), uint(e))
	}
	dc := len(distBase) - 1
	for int(distBase[dc]) > d {
		dc--
	}
	w.write(uint64(reverse(uint(dc), 5)), 5)
	if e := distExtra[dc]; e > 0 {
		w.write(uint64(d-int(distBase[dc])), uint(e))
	}
}

// reverse returns the n low bits of v in reverse order.
func reverse(v, n uint) uint {
	return uint(bits.Reverse16(uint16(v)) >> (16 - n))
}
