package lua

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

// TestFormatAsCLua: results and errors of string.format as Debian's
// lua5.1 on amd64 gives them (its messages quote the function name and add
// no position when format is called from pcall).
func TestFormatAsCLua(t *testing.T) {
	tests := []struct{ src, want string }{
		{`string.format("%5.2f|%-4d|%s|%q", 3.14159, 7, "s", "a\n")`, " 3.14|7   |s|\"a\\\n\""},
		{`string.format("%x|%d|%u|%o", -1, -1, -1, -1)`, "ffffffffffffffff|-1|18446744073709551615|1777777777777777777777"},
		{`string.format("%x|%d|%u", 2^63, 2^63, 2^63)`, "8000000000000000|-9223372036854775808|9223372036854775808"},
		{`string.format("%x|%u", 2^64, 1/0)`, "0|0"},
		{`string.format("%d|%x", 0/0, -1/0)`, "-9223372036854775808|8000000000000000"},
		{`string.format("%d", "0x10")`, "16"},
		{`string.format("%+5x|% u|%#x|%#o|%#X", 65, 65, 0, 0, 255)`, "   41|65|0|0|0XFF"},
		{`string.format("%.0d|%.3d|%#.3x|%#5.3o|%-05d|", 0, -65, 0, 65, 3)`, "|-065|000| 0101|3    |"},
		{`string.format("%05c|%-5c|%c", 65, 65, 0)`, "    A|A    |"},
		{`string.format("%c%c", 256 + 66, 2^40)`, "B"},
		{`string.format("%05s|%.0s|%+s|%5s", 0, "abc", 1, "a\0b")`, "    0||1|    a"},
		{`string.format("%#.0f|%#g|%+.3e|%05.1f|% f", 3, 65, 0, 3.14159, 1)`, "3.|65.0000|+0.000e+00|003.1| 1.000000"},
		{`string.format("%g|%G|%e|%E", 1e20, 1e-20, 65, 65)`, "1e+20|1E-20|6.500000e+01|6.500000E+01"},
		{`string.format("%f|%+g|%05f|%E|%-6g|", 1/0, 1/0, -1/0, 1/0, -(0/0))`, "inf|+inf| -inf|INF|nan   |"},
		{`string.format("%.99f", 1):len()`, "101"},
		{`string.format("%99.99f", 1e308):len()`, "409"},
		{`string.format("%s", string.rep("a", 100) .. "\0b"):len()`, "102"},
		{`string.format("%q", 1/3)`, `"0.33333333333333"`},
		{`string.format("%5q", "\0\r")`, `"\000\r"`},
		{`string.format("abc%%", 1)`, "abc%"},
		{`string.format("%-+ #0d", 1)`, "+1"},
	}
	errs := []struct{ src, want string }{
		{`string.format("%100d", 1)`, "invalid format (width or precision too long)"},
		{`string.format("%1.100d", 1)`, "invalid format (width or precision too long)"},
		{`string.format("%.200s", "x")`, "invalid format (width or precision too long)"},
		{`string.format("%.100f", 1)`, "invalid format (width or precision too long)"},
		{`string.format("%0999999999d", 1)`, "invalid format (width or precision too long)"},
		{`string.format("%-+ #0-d", 1)`, "invalid format (repeated flags)"},
		{`string.format("%T", 1)`, "invalid option '%T' to 'format'"},
		{`string.format("%#v", {})`, "invalid option '%v' to 'format'"},
		{`string.format("%v", 1)`, "invalid option '%v' to 'format'"},
		{`string.format("%b", 1)`, "invalid option '%b' to 'format'"},
		{`string.format("%U", 1)`, "invalid option '%U' to 'format'"},
		{`string.format("%t", true)`, "invalid option '%t' to 'format'"},
		{`string.format("%p", {})`, "invalid option '%p' to 'format'"},
		{`string.format("%w", 1)`, "invalid option '%w' to 'format'"},
		{`string.format("%F", 1)`, "invalid option '%F' to 'format'"},
		{`string.format("%ld", 1)`, "invalid option '%l' to 'format'"},
		{`string.format("%*d", 5, 1)`, "invalid option '%*' to 'format'"},
		{`string.format("%[1]s", "a")`, "invalid option '%[' to 'format'"},
		{`string.format("%[2]*d", 1, 2)`, "invalid option '%[' to 'format'"},
		{`string.format("%", 1)`, "invalid option '%' to 'format'"},
		{`string.format("%5", 1)`, "invalid option '%' to 'format'"},
		{`string.format("%")`, "bad argument #2 to format (no value)"},
		{`string.format("%T")`, "bad argument #2 to format (no value)"},
		{`string.format("%s %s", 1)`, "bad argument #3 to format (no value)"},
		{`string.format("%d", "x")`, "bad argument #2 to format (number expected, got string)"},
		{`string.format("%s", {})`, "bad argument #2 to format (string expected, got table)"},
		{`string.format("%u", true)`, "bad argument #2 to format (number expected, got boolean)"},
	}
	for _, metered := range []bool{false, true} {
		L := NewState()
		if metered {
			L.SetMeter(NewMeter())
		}
		for _, tc := range tests {
			if err := L.DoString(`result = tostring(` + tc.src + `)`); err != nil {
				t.Errorf("%s: %v", tc.src, err)
				continue
			}
			if got := L.GetGlobal("result").String(); got != tc.want {
				t.Errorf("%s = %q, want %q", tc.src, got, tc.want)
			}
		}
		for _, tc := range errs {
			err := L.DoString(`return ` + tc.src)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want %q", tc.src, err, tc.want)
			}
			L.SetTop(0)
		}
		L.Close()
	}
}

// TestFormatChargeBoundsResult: for every accepted directive with random
// flags, width, precision and argument, the size charged before building
// is at least the length of the result.
func TestFormatChargeBoundsResult(t *testing.T) {
	rng := rand.New(rand.NewSource(14))
	args := []string{"0", "-1", "1e308", "-1e308", "2^63", "0/0", "1/0", "-0", "3.14159", "1e-300",
		`""`, `"abc"`, `string.rep("\0", 300)`, `string.rep("x", 99)`, `string.rep("x", 100)`, `"0x10"`}
	L := NewState()
	defer L.Close()
	m := NewMeter()
	L.SetMeter(m)
	checked := 0
	for i := 0; i < 4000; i++ {
		var f strings.Builder
		f.WriteByte('%')
		for _, fl := range "-+ #0" {
			if rng.Intn(3) == 0 {
				f.WriteRune(fl)
			}
		}
		if rng.Intn(2) == 0 {
			f.WriteString(string(rune('0' + rng.Intn(10))))
			if rng.Intn(2) == 0 {
				f.WriteString(string(rune('0' + rng.Intn(10))))
			}
		}
		if rng.Intn(2) == 0 {
			f.WriteByte('.')
			if rng.Intn(3) > 0 {
				f.WriteString(string(rune('0' + rng.Intn(10))))
				f.WriteString(string(rune('0' + rng.Intn(10))))
			}
		}
		f.WriteByte("cdiouxXeEfgGqs"[rng.Intn(14)])
		format := strings.Repeat(f.String(), 1+rng.Intn(3))
		arg := args[rng.Intn(len(args))]
		src := `return string.format("` + format + `", ` + arg + `, ` + arg + `, ` + arg + `)`
		before := m.MemoryInUse()
		if err := L.DoString(src); err != nil {
			continue // a string for a number directive
		}
		charged := m.MemoryInUse() - before
		got := L.Get(-1).(LString)
		L.SetTop(0)
		if charged < int64(len(got)) {
			t.Fatalf("%s: charged %d bytes for a result of %d", src, charged, len(got))
		}
		checked++
	}
	if checked < 2000 {
		t.Fatalf("only %d formats checked", checked)
	}
}

// goFmtText matches what Go's fmt writes for a bad verb or argument.
var goFmtText = regexp.MustCompile(`%!\(|%![a-zA-Z]\(`)

// FuzzFormat: any format with a number and a string argument either
// fails with a Lua error or gives a result no longer than its charge;
// never a Go panic or Go's fmt text.
func FuzzFormat(f *testing.F) {
	for _, s := range []string{"%d", "%5.2f|%s", "%#v", "%[1]s", "%100d", "%-+ #0x", "%q%c", "%", "%99.99f%99.99e"} {
		f.Add(s, 1e308, "a\x00b")
	}
	L := NewState()
	defer L.Close()
	m := NewMeter()
	L.SetMeter(m)
	format := L.GetField(L.GetGlobal("string"), "format")
	f.Fuzz(func(t *testing.T, fs string, n float64, s string) {
		if len(fs) > 200 || len(s) > 1000 {
			return
		}
		L.SetTop(0)
		before := m.MemoryInUse()
		L.Push(format)
		L.Push(LString(fs))
		L.Push(LNumber(n))
		L.Push(LString(s))
		L.Push(LNumber(n))
		err := L.PCall(4, 1, nil)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "runtime error") || strings.Contains(msg, "internal error") || goFmtText.MatchString(msg) {
				t.Fatalf("%q: %v", fs, err)
			}
			return
		}
		got := L.Get(-1).(LString)
		if goFmtText.MatchString(string(got)) && !goFmtText.MatchString(fs+s) {
			t.Fatalf("%q gave Go's fmt text %q", fs, got)
		}
		if charged := m.MemoryInUse() - before; charged < int64(len(got)) {
			t.Fatalf("%q: charged %d for %d bytes", fs, charged, len(got))
		}
	})
}
