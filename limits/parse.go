package limits

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

var errEmpty = errors.New("empty value")

// ParseCount parses a positive whole number such as "5000000" or
// "5_000_000".
func ParseCount(s string) (int64, error) {
	if s == "" {
		return 0, errEmpty
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive whole number", s)
	}
	return n, nil
}

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"kB", 1e3},
	{"B", 1},
}

// ParseSize parses a byte size such as "4MiB", "512 KiB", "1GB" or
// "65536". Binary (KiB, MiB, GiB) and decimal (KB, MB, GB) units are
// accepted; the result must be positive and fit in an int64.
func ParseSize(s string) (int64, error) {
	if s == "" {
		return 0, errEmpty
	}
	num, mult := s, int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("%q is not a size (examples: 4MiB, 512KiB, 65536)", s)
	}
	v := f * float64(mult)
	if v >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	if v < 1 {
		return 0, fmt.Errorf("%q is less than one byte", s)
	}
	return int64(v), nil
}

// ParseDuration parses a positive duration in Go's syntax ("1s", "500ms").
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, errEmpty
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration (examples: 1s, 500ms, 2m)", s)
	}
	return d, nil
}

// ParsePercent parses a share of one core such as "10%" or "2.5%" and
// returns it as a fraction (0.10). Shares above 100 % are refused: a
// plugin runs on one core at a time.
func ParsePercent(s string) (float64, error) {
	t := strings.TrimSpace(strings.TrimSuffix(s, "%"))
	if !strings.HasSuffix(s, "%") {
		return 0, fmt.Errorf("%q is not a percentage (example: 10%%)", s)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 || f > 100 || math.IsNaN(f) {
		return 0, fmt.Errorf("%q is not a percentage between 0 and 100%%", s)
	}
	return f / 100, nil
}

// FormatSize formats n bytes the way ParseSize reads them, using the
// largest binary unit that keeps a whole or one-decimal number.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// FormatPercent formats a fraction of one core as a percentage ("10%").
func FormatPercent(f float64) string {
	return strconv.FormatFloat(f*100, 'f', -1, 64) + "%"
}
