package fasthttp

import (
	"testing"
	"time"
)

func TestParseObsoleteHTTPDate(t *testing.T) {
	want := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	for _, s := range []string{"Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 GMT"} {
		got, err := ParseHTTPDate([]byte(s))
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseHTTPDate(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseHTTPDate([]byte("yesterday")); err == nil {
		t.Error("ParseHTTPDate accepted yesterday")
	}
}

func TestSniffContentType(t *testing.T) {
	for in, want := range map[string]string{
		"hello\n":              "text/plain; charset=utf-8",
		"  <!DOCTYPE HTML><p>": "text/html; charset=utf-8",
		"<html><body>":         "text/html; charset=utf-8",
		"\x00\x01\x02ELF":      "application/octet-stream",
		"\xff\xfe\xfd\xfc\xfb": "application/octet-stream",
		"caf\xc3":              "text/plain; charset=utf-8",
		"":                     "text/plain; charset=utf-8",
	} {
		if got := sniffContentType([]byte(in)); got != want {
			t.Errorf("sniffContentType(%q) = %q, want %q", in, got, want)
		}
	}
}
