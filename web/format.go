package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// unitSep joins a number to its unit on the pages: a no-break space, so
// that "45.2 KiB" never wraps between the number and the unit.
const unitSep = "\u00a0"

// formatBytes renders a byte count with a binary unit: "512 B", "1.5 KiB"
// (number and unit joined by unitSep, as in every format* function).
func formatBytes(v float64) string {
	if math.IsNaN(v) || v < 0 {
		return "–"
	}
	const unit = 1024
	if v < unit {
		return strconv.FormatFloat(v, 'f', 0, 64) + unitSep + "B"
	}
	exp, div := 0, float64(unit)
	for n := v / unit; n >= unit && exp < 5; n /= unit {
		div *= unit
		exp++
	}
	num := strconv.FormatFloat(v/div, 'f', 1, 64)
	num = strings.TrimSuffix(num, ".0")
	return num + unitSep + string("KMGTPE"[exp]) + "iB"
}

// formatSeconds renders a duration given in seconds compactly: "850 µs",
// "12 ms", "1.5 s", "15 s", "2 min".
func formatSeconds(s float64) string {
	switch {
	case math.IsNaN(s) || s < 0:
		return "–"
	case s == 0:
		return "0" + unitSep + "s"
	case s < 0.001:
		return strconv.FormatFloat(s*1e6, 'f', 0, 64) + unitSep + "µs"
	case s < 1:
		return strings.TrimSuffix(strconv.FormatFloat(s*1e3, 'f', 1, 64), ".0") + unitSep + "ms"
	case s < 60:
		return strconv.FormatFloat(s, 'g', 3, 64) + unitSep + "s"
	}
	return formatDuration(time.Duration(s * float64(time.Second)))
}

// formatDuration renders a long duration: "3 d 4 h", "2 h 5 min", "7 min".
func formatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	days := int(d / (24 * time.Hour))
	hours := int(d % (24 * time.Hour) / time.Hour)
	mins := int(d % time.Hour / time.Minute)
	switch {
	case days > 0:
		return fmt.Sprintf("%d"+unitSep+"d %d"+unitSep+"h", days, hours)
	case hours > 0:
		return fmt.Sprintf("%d"+unitSep+"h %d"+unitSep+"min", hours, mins)
	case mins > 0:
		return fmt.Sprintf("%d"+unitSep+"min", mins)
	}
	return fmt.Sprintf("%d"+unitSep+"s", int(d/time.Second))
}

// formatWindow renders the span n samples taken every interval seconds
// cover, as a chart's label names it: "30 s", "12 min", "1 h".
func formatWindow(n int, interval float64) string {
	d := time.Duration(float64(n) * interval * float64(time.Second)).Round(time.Second)
	if d >= time.Hour && d%time.Hour == 0 {
		return strconv.Itoa(int(d/time.Hour)) + unitSep + "h"
	}
	return formatDuration(d)
}

// formatAgo renders how long before now t was: "12 s ago".
func formatAgo(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	if d < 0 {
		return "just now"
	}
	return formatDuration(d) + " ago"
}

// formatNumber renders a metric value without exponent noise for the
// common cases.
func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// formatCount renders a large count compactly: "950", "12.3 k", "10 M".
func formatCount(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return strconv.FormatFloat(v/1e9, 'g', 3, 64) + unitSep + "G"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 3, 64) + unitSep + "M"
	case a >= 1e4:
		return strconv.FormatFloat(v/1e3, 'g', 3, 64) + unitSep + "k"
	}
	return formatNumber(v)
}

// formatLimit renders a limit's use: "1.2 MiB of 8.0 MiB".
func formatLimit(l Limit) string {
	f := func(v float64) string {
		switch l.Unit {
		case "bytes":
			return formatBytes(v)
		case "seconds":
			return formatSeconds(v)
		case "percent":
			return formatPercent(v)
		}
		return formatCount(v)
	}
	if l.Max <= 0 {
		return f(l.Used) + " (no limit)"
	}
	return f(l.Used) + " of " + f(l.Max)
}

// formatPercent renders a share given in percent. Shares of 1 % and more
// get one decimal; smaller ones as many as their first two significant
// digits need, up to four, so that a small non-zero share never reads as
// "0.0 %": "42.0 %", "0.50 %", "0.031 %", "<0.0001 %".
func formatPercent(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "–"
	case v == 0:
		return "0" + unitSep + "%"
	case a < 0.00005:
		return "<0.0001" + unitSep + "%"
	}
	prec := 1
	if a < 1 {
		prec = min(4, 1-int(math.Floor(math.Log10(a))))
	}
	return strconv.FormatFloat(v, 'f', prec, 64) + unitSep + "%"
}

// limitPercent is how much of the limit is used, 0..100.
func limitPercent(l Limit) float64 {
	if l.Max <= 0 || l.Used <= 0 || math.IsNaN(l.Used) {
		return 0
	}
	return math.Min(100, 100*l.Used/l.Max)
}

// shortCommit is the first 12 characters of a commit id.
func shortCommit(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// memUsed is the device's used memory in bytes.
func memUsed(s SystemStats) uint64 {
	if s.MemAvailableBytes > s.MemTotalBytes {
		return 0
	}
	return s.MemTotalBytes - s.MemAvailableBytes
}

// memPercent is the device's used memory share, 0..100.
func memPercent(s SystemStats) float64 {
	if s.MemTotalBytes == 0 {
		return 0
	}
	return 100 * float64(memUsed(s)) / float64(s.MemTotalBytes)
}
