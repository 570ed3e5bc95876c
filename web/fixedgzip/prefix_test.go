package fixedgzip

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

// TestPrefixRoundTrip joins every input as a prefix with every input as
// the rest (the prefix's block may end at any bit of a byte) and checks
// that the standard library's reader, which knows nothing of the join,
// decodes the whole text, CRC and length included.
func TestPrefixRoundTrip(t *testing.T) {
	in := inputs(t)
	for pn, prefix := range in {
		p := NewPrefix(prefix)
		for rn, rest := range in {
			gz := p.Append([]byte("head"), rest)
			want := append(append([]byte{}, prefix...), rest...)
			if got := gunzip(t, gz[4:]); !bytes.Equal(got, want) {
				t.Fatalf("%s + %s: decodes to %d bytes, want %d", pn, rn, len(got), len(want))
			}
		}
	}
}

// TestPrefixIsOneMember checks that the joined body is one gzip member
// (readers that stop after the first member, as some browsers do, still
// see all of it).
func TestPrefixIsOneMember(t *testing.T) {
	gz := NewPrefix([]byte("# HELP a x\na 1\n")).Append(nil, []byte("b 2\n"))
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	r.Multistream(false)
	got, err := io.ReadAll(r)
	if err != nil || string(got) != "# HELP a x\na 1\nb 2\n" {
		t.Fatalf("first member: %q, %v", got, err)
	}
}

func FuzzPrefixRoundTrip(f *testing.F) {
	f.Add([]byte("abc"), []byte("abcabc"))
	f.Add([]byte{}, []byte("x"))
	f.Fuzz(func(t *testing.T, prefix, rest []byte) {
		want := append(append([]byte{}, prefix...), rest...)
		if got := gunzip(t, NewPrefix(prefix).Append(nil, rest)); !bytes.Equal(got, want) {
			t.Fatalf("decodes to %q, want %q", got, want)
		}
	})
}
