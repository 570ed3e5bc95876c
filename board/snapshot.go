package board

import (
	"errors"
	"fmt"
)

// Snapshot is everything the status page shows about the device, read in
// one go.
type Snapshot struct {
	Device     Device        `json:"device"`
	Load       LoadAvg       `json:"load"`
	Memory     MemInfo       `json:"memory"`
	Uptime     Uptime        `json:"uptime"`
	CPU        Stat          `json:"cpu"`
	NetDev     []NetDevStats `json:"netdev"`
	Interfaces []Interface   `json:"interfaces"`
	Thermal    []ThermalZone `json:"thermal"`
	// Errors maps a section ("device", "load", "memory", "uptime", "cpu",
	// "netdev", "interfaces", "thermal") to what went wrong reading it.
	// The section holds what could be read: its zero value, or for device,
	// interfaces and thermal the parts that were read.
	Errors map[string]string `json:"errors,omitempty"`
}

// Snapshot reads every section. Its slices are never nil, so they encode
// as [] in JSON. A section that fails does not stop the
// others: its error is recorded in Snapshot.Errors and in err, which joins
// all of them with errors.Join (each prefixed with its section).
func (b *Board) Snapshot() (Snapshot, error) {
	var (
		s    Snapshot
		errs []error
	)
	note := func(section string, err error) {
		if err == nil {
			return
		}
		if s.Errors == nil {
			s.Errors = make(map[string]string)
		}
		s.Errors[section] = err.Error()
		errs = append(errs, fmt.Errorf("%s: %w", section, err))
	}
	var err error
	s.Device, err = b.Device()
	note("device", err)
	s.Load, err = b.LoadAvg()
	note("load", err)
	s.Memory, err = b.MemInfo()
	note("memory", err)
	s.Uptime, err = b.Uptime()
	note("uptime", err)
	s.CPU, err = b.Stat()
	note("cpu", err)
	s.NetDev, err = b.NetDev()
	note("netdev", err)
	s.Interfaces, err = b.Interfaces()
	note("interfaces", err)
	s.Thermal, err = b.Thermal()
	note("thermal", err)
	nonNil(&s.NetDev)
	nonNil(&s.Interfaces)
	nonNil(&s.Thermal)
	nonNil(&s.CPU.CPUs)
	return s, errors.Join(errs...)
}

// nonNil replaces a nil slice with an empty one.
func nonNil[T any](s *[]T) {
	if *s == nil {
		*s = []T{}
	}
}
