package limits

import (
	"errors"
	"fmt"
)

// Sentinel errors, one per kind of limit. A *Violation matches its kind's
// sentinel with errors.Is, so callers can act on the kind without parsing text.
var (
	ErrInstructions = errors.New("instruction limit exceeded")
	ErrMemory       = errors.New("memory limit exceeded")
	ErrTimeout      = errors.New("time limit exceeded")
	ErrCPU          = errors.New("cpu limit exceeded")
	ErrDepth        = errors.New("call depth limit exceeded")
	ErrOutput       = errors.New("output limit exceeded")
)

// Violation reports that a plugin broke one of its limits. Its Error text
// is the one line the contract promises, for example
// `plugin "x": instruction limit exceeded (1000000)`.
type Violation struct {
	Plugin string // plugin name; may be empty for a bare script
	Kind   error  // one of the Err* sentinels above
	Limit  string // the limit as the owner would write it: "1000000", "4 MiB", "2s"
	Detail string // optional: what was being done, e.g. "string.rep"
}

// Error returns the one-line report naming the limit.
func (v *Violation) Error() string {
	msg := v.Kind.Error()
	if v.Limit != "" {
		msg += " (" + v.Limit + ")"
	}
	if v.Detail != "" {
		msg += " in " + v.Detail
	}
	if v.Plugin == "" {
		return msg
	}
	return fmt.Sprintf("plugin %q: %s", v.Plugin, msg)
}

// Is reports whether target is the sentinel of this violation's kind.
func (v *Violation) Is(target error) bool { return target == v.Kind }

// Name returns the short name of the violated limit ("instructions",
// "memory", "timeout", "cpu", "depth", "output"), used as a metric label
// and event detail.
func (v *Violation) Name() string {
	switch v.Kind {
	case ErrInstructions:
		return KeyInstructions
	case ErrMemory:
		return KeyMemory
	case ErrTimeout:
		return KeyTimeout
	case ErrCPU:
		return KeyCPU
	case ErrDepth:
		return KeyDepth
	}
	return "output"
}
