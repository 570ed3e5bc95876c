package core

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/luaplugins/pack"
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

// TestInstallConfigProblemIsErrConfig: an install the agent's
// configuration prevents (a plugins directory that cannot be made, a
// trusted key file that cannot be read) is web.ErrConfig, the API's 409
// with the setting to fix, never a bare error the API answers with 500.
func TestInstallConfigProblemIsErrConfig(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &pack.Package{Name: "cfgprobe", Files: map[string][]byte{
		"manifest.yml": []byte("name: cfgprobe\nversion: 1.0.0\ninterval: 10s\n"),
		"main.lua":     []byte("function collect() end\n"),
	}}
	archive, err := p.Archive()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(*config.Config)
		want string
	}{
		{"plugins_dir is a file", func(c *config.Config) { c.PluginsDir = filepath.Join(notADir, "plugins") }, "plugins_dir"},
		{"trusted key missing", func(c *config.Config) { c.TrustedKeys = []string{filepath.Join(t.TempDir(), "gone.pub")} }, "trusted_keys"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newTestManager(t)
			c.edit(&m.cfg)
			_, err := m.Backend(time.Now()).InstallPlugin(archive, web.InstallOptions{AllowUnsigned: true})
			if !errors.Is(err, web.ErrConfig) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("install: %v, want web.ErrConfig naming %s", err, c.want)
			}
		})
	}
}
