package board

import (
	"slices"
	"strings"
	"testing"
)

func TestAppendFields(t *testing.T) {
	for _, s := range []string{
		"", " ", "a", " a ", "a b", "a\tb\n c\r\v\fd", "Tcp: 1 2  3\t4",
		"x\u00a0y z",   // a Latin-1 space: strings.Fields splits there too
		"x\u2003y",     // an em space
		"\xffbad utf8", // invalid UTF-8 is not space
	} {
		var buf [2]string
		got := appendFields(buf[:0], s)
		if want := strings.Fields(s); !slices.Equal(got, want) {
			t.Errorf("appendFields(%q) = %q, want %q", s, got, want)
		}
	}
	if got := appendFields([]string{"kept"}, "a b"); !slices.Equal(got, []string{"kept", "a", "b"}) {
		t.Errorf("appendFields onto a prefix = %q", got)
	}
}

func FuzzAppendFields(f *testing.F) {
	addFixtureSeeds(f, fileNetstat)
	addFixtureSeeds(f, fileMounts)
	f.Add([]byte("a\u0085b\u00a0c d"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := string(data)
		if got, want := appendFields(nil, s), strings.Fields(s); !slices.Equal(got, want) {
			t.Fatalf("appendFields(%q) = %q, want %q", s, got, want)
		}
	})
}
