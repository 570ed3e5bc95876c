package core

import (
	"errors"
	"testing"

	"github.com/heimnetz/heimnetz/web"
)

// TestBackendUnknownIsNotFound: every admin action on a plugin name or an
// event number that does not exist is web.ErrNotFound (the API's 404), and
// a refused action web.ErrInvalid (400) — never a bare error the API would
// answer with 500 (issue 13, class 8).
func TestBackendUnknownIsNotFound(t *testing.T) {
	b := &backend{m: newTestManager(t)}
	for _, c := range []struct {
		name string
		err  error
		want error
	}{
		{"ack unknown event", b.AckEvents([]uint64{424242}), web.ErrNotFound},
		{"enable unknown plugin", b.EnablePlugin("no-such"), web.ErrNotFound},
		{"disable unknown plugin", b.DisablePlugin("no-such"), web.ErrNotFound},
		{"reload unknown plugin", b.ReloadPlugin("no-such"), web.ErrNotFound},
		{"clear unknown plugin", b.ClearPluginData("no-such"), web.ErrNotFound},
		{"remove unknown plugin", b.RemovePlugin("no-such"), web.ErrNotFound},
		{"remove bundled plugin", b.RemovePlugin(firstPlugin(b)), web.ErrInvalid},
		{"events before an unassigned number", eventsErr(b, 1<<62), nil},
		{"events before 1", eventsErr(b, 1), nil},
	} {
		if c.want == nil && c.err != nil || !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want an error wrapping %v", c.name, c.err, c.want)
		}
	}
}

func firstPlugin(b *backend) string {
	for _, e := range b.m.entries() {
		return e.src.Name()
	}
	return "none"
}

func eventsErr(b *backend, before uint64) error {
	_, _, err := b.Events(web.EventQuery{BeforeSeq: before, Limit: 10})
	return err
}
