package oneline_test

import (
	"fmt"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

func ExampleClean() {
	// A plugin's log line with a line separator, a right-to-left override
	// and a raw 8-bit NEL byte.
	fmt.Println(oneline.Clean("ok\u2028FAKE: admin logged in \u202etxt.exe\x85", 64))
	// A long value is cut first, on a rune boundary, naming what was left out.
	fmt.Println(oneline.Clean("äääääääääääääääääääää", 20))
	// Output:
	// ok�FAKE: admin logged in �txt.exe�
	// äää…(+36 bytes)
}
