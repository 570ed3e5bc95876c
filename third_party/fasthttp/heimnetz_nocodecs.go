package fasthttp

// heimnetz patch: this file replaces upstream's brotli.go and zstd.go. See
// PATCHES.md. The brotli (github.com/molecule-man/go-brrr) and zstd
// (github.com/klauspost/compress/zstd) codecs are not linked, which keeps
// their encoders, decoders and static dictionaries out of every binary that
// imports fasthttp. The exported names of both files are kept so code written
// against upstream compiles unchanged:
//
//   - the encoders (AppendBrotliBytes*, WriteBrotli*, AppendZstdBytes*,
//     WriteZstd*) still produce valid brotli and zstd streams, but made only of
//     stored (uncompressed) blocks, whatever the level; any conforming decoder
//     reads them back;
//   - the decoders (AppendUnbrotliBytes, WriteUnbrotli, AppendUnzstdBytes,
//     WriteUnzstd, and through them BodyUnbrotli, BodyUnzstd and
//     BodyUncompressed) fail with ErrNoBrotli or ErrNoZstd;
//   - fasthttp itself never chooses br or zstd as a Content-Encoding:
//     CompressHandlerLevel, CompressHandlerBrotliLevel and FS negotiate only
//     gzip and deflate.

import (
	"errors"
	"io"

	"github.com/valyala/bytebufferpool"
)

// Supported brotli compression levels. The values are upstream's; the stored
// encoder of this build ignores them.
const (
	CompressBrotliNoCompression   = 0
	CompressBrotliBestSpeed       = 0
	CompressBrotliBestCompression = 11

	// CompressBrotliDefaultCompression chooses a default brotli compression level comparable to
	// CompressDefaultCompression (gzip 6).
	CompressBrotliDefaultCompression = 4
)

// Supported zstd compression levels. The values are upstream's; the stored
// encoder of this build ignores them.
const (
	CompressZstdSpeedNotSet = iota
	CompressZstdBestSpeed
	CompressZstdDefault
	CompressZstdSpeedBetter
	CompressZstdBestCompression
)

// ErrNoBrotli is returned by every brotli decoder of this build: the brotli
// codec is not linked.
var ErrNoBrotli = errors.New("fasthttp: brotli is not supported in this build")

// ErrNoZstd is returned by every zstd decoder of this build: the zstd codec is
// not linked.
var ErrNoZstd = errors.New("fasthttp: zstd is not supported in this build")

// AppendBrotliBytesLevel appends a brotli stream holding src in stored
// (uncompressed) meta-blocks to dst and returns the resulting dst. The level
// is ignored in this build.
func AppendBrotliBytesLevel(dst, src []byte, _ int) []byte {
	return appendStoredBrotli(dst, src)
}

// WriteBrotliLevel writes a brotli stream holding p in stored (uncompressed)
// meta-blocks to w and returns len(p), as upstream does. The level is ignored
// in this build.
func WriteBrotliLevel(w io.Writer, p []byte, _ int) (int, error) {
	return writeStored(w, p, appendStoredBrotli)
}

// WriteBrotli writes a brotli stream holding p in stored meta-blocks to w and
// returns len(p).
func WriteBrotli(w io.Writer, p []byte) (int, error) {
	return WriteBrotliLevel(w, p, CompressBrotliDefaultCompression)
}

// AppendBrotliBytes appends a brotli stream holding src in stored meta-blocks
// to dst and returns the resulting dst.
func AppendBrotliBytes(dst, src []byte) []byte {
	return AppendBrotliBytesLevel(dst, src, CompressBrotliDefaultCompression)
}

// WriteUnbrotli always fails with ErrNoBrotli in this build and writes nothing.
func WriteUnbrotli(w io.Writer, p []byte) (int, error) {
	return writeUnbrotli(w, p, 0)
}

func writeUnbrotli(_ io.Writer, _ []byte, _ int) (int, error) {
	return 0, ErrNoBrotli
}

// AppendUnbrotliBytes always fails with ErrNoBrotli in this build and returns
// dst unchanged.
func AppendUnbrotliBytes(dst, src []byte) ([]byte, error) {
	w := &byteSliceWriter{b: dst}
	_, err := WriteUnbrotli(w, src)
	return w.b, err
}

// AppendZstdBytesLevel appends a zstd frame holding src in raw (uncompressed)
// blocks to dst and returns the resulting dst. The level is ignored in this
// build.
func AppendZstdBytesLevel(dst, src []byte, _ int) []byte {
	return appendStoredZstd(dst, src)
}

// WriteZstdLevel writes a zstd frame holding p in raw (uncompressed) blocks to
// w and returns len(p), as upstream does. The level is ignored in this build.
func WriteZstdLevel(w io.Writer, p []byte, _ int) (int, error) {
	return writeStored(w, p, appendStoredZstd)
}

// AppendZstdBytes appends a zstd frame holding src in raw blocks to dst and
// returns the resulting dst.
func AppendZstdBytes(dst, src []byte) []byte {
	return AppendZstdBytesLevel(dst, src, CompressZstdDefault)
}

// WriteUnzstd always fails with ErrNoZstd in this build and writes nothing.
func WriteUnzstd(w io.Writer, p []byte) (int, error) {
	return writeUnzstd(w, p, 0)
}

func writeUnzstd(_ io.Writer, _ []byte, _ int) (int, error) {
	return 0, ErrNoZstd
}

// AppendUnzstdBytes always fails with ErrNoZstd in this build and returns dst
// unchanged.
func AppendUnzstdBytes(dst, src []byte) ([]byte, error) {
	w := &byteSliceWriter{b: dst}
	_, err := WriteUnzstd(w, src)
	return w.b, err
}

// writeStored encodes p with appendStream into a pooled buffer and writes the
// result to w in one call.
func writeStored(w io.Writer, p []byte, appendStream func(dst, src []byte) []byte) (int, error) {
	bb := bytebufferpool.Get()
	defer bytebufferpool.Put(bb)
	bb.B = appendStream(bb.B, p)
	if _, err := w.Write(bb.B); err != nil {
		return 0, err
	}
	return len(p), nil
}

// storedBrotliBlockLen is the largest payload of one stored brotli meta-block
// whose length fits the shortest (four nibble) MLEN field (RFC 7932, 9.2).
const storedBrotliBlockLen = 1 << 16

// appendStoredBrotli appends src to dst as a brotli stream (RFC 7932) of
// uncompressed meta-blocks followed by an empty last meta-block. Bits are
// packed starting with the least significant one.
func appendStoredBrotli(dst, src []byte) []byte {
	// The stream header WBITS is the single bit 0 (window 2^16 - 16). It
	// shares the first byte with the first meta-block header, so that header
	// is shifted by one bit.
	shift := uint(1)
	for len(src) > 0 {
		n := min(len(src), storedBrotliBlockLen)
		// ISLAST=0 (bit 0), MNIBBLES=0 i.e. four nibbles (bits 1-2),
		// MLEN-1 (bits 3-18), ISUNCOMPRESSED=1 (bit 19); the pad bits up to
		// the byte boundary are zero.
		hdr := (uint32(n-1)<<3 | 1<<19) << shift
		dst = append(dst, byte(hdr), byte(hdr>>8), byte(hdr>>16))
		dst = append(dst, src[:n]...)
		src = src[n:]
		shift = 0
	}
	// ISLAST=1, ISLASTEMPTY=1.
	return append(dst, byte(3<<shift))
}

// storedZstdBlockLen is the largest raw block zstd allows (RFC 8878, 3.1.1.2.3).
const storedZstdBlockLen = 128 << 10

// appendStoredZstd appends src to dst as one zstd frame (RFC 8878) of raw
// blocks: no content size, no checksum, a 128 KiB window.
func appendStoredZstd(dst, src []byte) []byte {
	// Magic number 0xFD2FB528, frame header descriptor 0 (a window
	// descriptor follows, no dictionary, no content size, no checksum),
	// window descriptor 0x38 (exponent 7: 2^(10+7) = 128 KiB).
	dst = append(dst, 0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38)
	for {
		n := min(len(src), storedZstdBlockLen)
		// Block header, 3 bytes little endian: Last_Block (bit 0),
		// Block_Type 0 = Raw (bits 1-2), Block_Size (bits 3-23).
		hdr := uint32(n) << 3
		if n == len(src) {
			hdr |= 1
		}
		dst = append(dst, byte(hdr), byte(hdr>>8), byte(hdr>>16))
		dst = append(dst, src[:n]...)
		src = src[n:]
		if hdr&1 != 0 {
			return dst
		}
	}
}
