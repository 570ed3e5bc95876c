package limits

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Keys of the limits that a manifest, the configuration and
// `plugin run --limit KEY=VALUE` may set.
const (
	KeyInstructions = "instructions"
	KeyMemory       = "memory"
	KeyTimeout      = "timeout"
	KeyCPU          = "cpu"
	KeyDepth        = "depth"
)

// Limits holds every budget one plugin runs under. The zero value is not
// useful; start from Defaults.
type Limits struct {
	// Instructions is the number of Lua VM instructions one call may run.
	Instructions int64
	// Memory is the most bytes of Lua values the plugin's state may hold.
	Memory int64
	// Timeout is the wall time one call may take.
	Timeout time.Duration
	// CPU is the share of one core the plugin may use, averaged over CPUWindow
	// (0.10 is 10 %).
	CPU float64
	// CPUWindow is the window the CPU share is averaged over.
	CPUWindow time.Duration
	// Depth is the deepest nesting of calls that re-enter the VM from Go
	// (pcall, metamethods, callbacks, coroutine.resume).
	Depth int
	// CallStack is the number of Lua call frames one thread may hold.
	CallStack int

	// LogLinesPerCall caps log lines written by one call.
	LogLinesPerCall int
	// LogLinesPerMinute caps log lines over a minute.
	LogLinesPerMinute int
	// LogLineBytes caps the length of one log line; longer lines are cut.
	LogLineBytes int
	// MetricSeries caps the number of metric series the plugin may create.
	MetricSeries int
	// LabelBytes caps the length of one metric label value.
	LabelBytes int
	// Nesting caps how deep a Lua table converted by the host may nest.
	Nesting int

	// KVKeys, KVBytes and KVValueBytes cap the plugin's stored data.
	KVKeys       int
	KVBytes      int64
	KVValueBytes int
	// KVWritesPerMinute caps kv.set and kv.delete calls over a minute.
	KVWritesPerMinute int

	// BreaksBeforeDisable is how many calls in a row may break a limit
	// before the plugin is disabled.
	BreaksBeforeDisable int
}

// Defaults returns the limits a plugin gets when it asks for nothing; a
// bare .lua file run with `plugin run` gets exactly these.
func Defaults() Limits {
	return Limits{
		Instructions:        10_000_000,
		Memory:              8 << 20,
		Timeout:             2 * time.Second,
		CPU:                 0.10,
		CPUWindow:           time.Minute,
		Depth:               64,
		CallStack:           200,
		LogLinesPerCall:     100,
		LogLinesPerMinute:   600,
		LogLineBytes:        1024,
		MetricSeries:        500,
		LabelBytes:          128,
		Nesting:             32,
		KVKeys:              1000,
		KVBytes:             256 << 10,
		KVValueBytes:        16 << 10,
		KVWritesPerMinute:   120,
		BreaksBeforeDisable: 3,
	}
}

// Ceilings returns the most a manifest may ask for unless the owner
// configures other ceilings.
func Ceilings() Limits {
	c := Defaults()
	c.Instructions = 200_000_000
	c.Memory = 32 << 20
	c.Timeout = 30 * time.Second
	c.CPU = 0.50
	c.Depth = 200
	c.CallStack = 400
	return c
}

// Set parses value and sets the limit named key. Keys are those a manifest
// uses: instructions, memory, timeout, cpu, depth.
func (l *Limits) Set(key, value string) error {
	value = strings.TrimSpace(value)
	switch key {
	case KeyInstructions:
		n, err := ParseCount(value)
		if err != nil {
			return fmt.Errorf("limit %s: %w", key, err)
		}
		l.Instructions = n
	case KeyMemory:
		n, err := ParseSize(value)
		if err != nil {
			return fmt.Errorf("limit %s: %w", key, err)
		}
		if n < 64<<10 {
			return fmt.Errorf("limit %s: %s is below the minimum of 64 KiB", key, value)
		}
		l.Memory = n
	case KeyTimeout:
		d, err := ParseDuration(value)
		if err != nil {
			return fmt.Errorf("limit %s: %w", key, err)
		}
		l.Timeout = d
	case KeyCPU:
		f, err := ParsePercent(value)
		if err != nil {
			return fmt.Errorf("limit %s: %w", key, err)
		}
		l.CPU = f
	case KeyDepth:
		n, err := ParseCount(value)
		if err != nil {
			return fmt.Errorf("limit %s: %w", key, err)
		}
		if n > 10_000 {
			return fmt.Errorf("limit %s: %d is above the engine's maximum of 10000", key, n)
		}
		l.Depth = int(n)
	default:
		return fmt.Errorf("unknown limit %q (known: %s)", key, strings.Join(Keys(), ", "))
	}
	return nil
}

// Keys returns the names Set accepts, sorted.
func Keys() []string {
	k := []string{KeyInstructions, KeyMemory, KeyTimeout, KeyCPU, KeyDepth}
	sort.Strings(k)
	return k
}

// Within returns an error naming the first limit that is above the
// ceiling c.
func (l Limits) Within(c Limits) error {
	switch {
	case l.Instructions > c.Instructions:
		return fmt.Errorf("limit instructions: %d is above the ceiling of %d", l.Instructions, c.Instructions)
	case l.Memory > c.Memory:
		return fmt.Errorf("limit memory: %s is above the ceiling of %s", FormatSize(l.Memory), FormatSize(c.Memory))
	case l.Timeout > c.Timeout:
		return fmt.Errorf("limit timeout: %s is above the ceiling of %s", l.Timeout, c.Timeout)
	case l.CPU > c.CPU:
		return fmt.Errorf("limit cpu: %s is above the ceiling of %s", FormatPercent(l.CPU), FormatPercent(c.CPU))
	case l.Depth > c.Depth:
		return fmt.Errorf("limit depth: %d is above the ceiling of %d", l.Depth, c.Depth)
	}
	return nil
}

// Format returns the limit named key as an owner would write it, for
// reports and for the text of a Violation.
func (l Limits) Format(key string) string {
	switch key {
	case KeyInstructions:
		return fmt.Sprint(l.Instructions)
	case KeyMemory:
		return FormatSize(l.Memory)
	case KeyTimeout:
		return l.Timeout.String()
	case KeyCPU:
		return FormatPercent(l.CPU)
	case KeyDepth:
		return fmt.Sprint(l.Depth)
	}
	return ""
}
