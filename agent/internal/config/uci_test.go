package config

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// initScript is the OpenWrt init script that writes the config file from
// UCI.
const initScript = "../../../scripts/openwrt/files/heimnetz.init"

// uciStubsFile holds the stand-ins for OpenWrt's UCI helpers that
// scripts/openwrt/test-init.sh uses too: uci_load_validate sets each
// option from HZ_<option>, else the default in the script's own list.
const uciStubsFile = "../../../scripts/openwrt/uci-stubs.sh"

// procdStubs stand in for the rest of OpenWrt's helpers, doing nothing.
const procdStubs = `
network_get_ipaddr() { eval "$1=192.168.1.1"; }
user_exists() { return 0; }
logger() { :; }
chown() { :; }
procd_open_instance() { :; }
procd_close_instance() { :; }
procd_set_param() { :; }
`

// jsonLeaves returns the JSON paths ("ceilings.cpu") of every field of a
// value of type t that the config file sets, embedded structs flattened.
func jsonLeaves(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			out = append(out, jsonLeaves(f.Type, prefix)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if f.Type.Kind() == reflect.Map && f.Type.Elem().Kind() == reflect.Struct {
			// plugins.*.enabled: a UCI section per key.
			out = append(out, jsonLeaves(f.Type.Elem(), prefix+name+".*.")...)
			continue
		}
		if f.Type.Kind() == reflect.Struct {
			out = append(out, jsonLeaves(f.Type, prefix+name+".")...)
			continue
		}
		out = append(out, prefix+name)
	}
	return out
}

// jsonAt returns the value at a JSON path of jsonLeaves in c, as JSON.
func jsonAt(t *testing.T, c Config, path string) string {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	for _, part := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[part]
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// TestEveryConfigFieldSettableFromUCI runs the init script under busybox
// sh with every UCI option set to a value other than the agent's default
// and decodes the config file it writes strictly into Config: every field
// of Config must have a UCI option (the JSON path with "_" for "."), be
// written, and arrive with the UCI value, not the default.
func TestEveryConfigFieldSettableFromUCI(t *testing.T) {
	busybox, err := exec.LookPath("busybox")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("busybox is missing")
		}
		t.Skip("busybox not installed")
	}
	script, err := os.ReadFile(initScript)
	if err != nil {
		t.Fatal(err)
	}
	options := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\t\t'([a-z_]+):`).FindAllSubmatch(script, -1) {
		options[string(m[1])] = true
	}
	// Options of the `config plugin` sections: those validate_plugin_section
	// names.
	pluginOptions := map[string]bool{}
	_, body, _ := strings.Cut(string(script), "\nvalidate_plugin_section() {")
	body, _, _ = strings.Cut(body, "\n}")
	for _, m := range regexp.MustCompile(`'([a-z_]+):`).FindAllStringSubmatch(body, -1) {
		pluginOptions[m[1]] = true
	}
	// Options of the `config push` section: those validate_push_section
	// names, each given a value unlike its default in the section
	// HZ_SECTIONS_push names.
	pushOptions := sectionOptions(string(script), "validate_push_section")
	pushValues := map[string]string{
		"url":               "http://192.0.2.10:8428/api/v1/import/prometheus",
		"interval":          "15s",
		"labels":            "site=home instance=router-1",
		"username":          "router-1",
		"password_file":     "/etc/heimnetz/push.pass",
		"bearer_token_file": "",
		"queue_bytes":       "1MiB",
		"timeout":           "3s",
	}
	// Two plugin sections: one named for its plugin (_ for -), one
	// anonymous with option name; plugins.*.X is option X of both.
	sections := map[string]map[string]string{
		"wifi_stations": {"enabled": "0", "interval": "45s"},
		"cfg0a1b2c":     {"name": "cpu", "interval": "2m", "enabled": "1"},
	}
	dir := t.TempDir()
	// A value per UCI option, each unlike the default and the zero value.
	values := map[string]string{
		"listen":                 "10.1.2.3",
		"data_dir":               filepath.Join(dir, "flash"),
		"live_dir":               filepath.Join(dir, "ram"),
		"snapshot_interval":      "7m",
		"plugins_dir":            filepath.Join(dir, "plugins"),
		"no_bundled":             "1",
		"admin_password_hash":    `$argon2id$v=19$"q\uote\`,
		"admin_token":            "hnt_test",
		"https":                  "1",
		"hostnames":              "router.lan nas.lan",
		"max_connections":        "100",
		"max_connections_per_ip": "10",
		"pages_require_login":    "1",
		"log_level":              "warn",
		"breaks_before_disable":  "7",
		"event_retention":        "50",
		"trusted_keys":           "/etc/heimnetz/keys/a.pub /etc/heimnetz/keys/b.pub",
		"expose_client_identity": "1",
		"ceilings_instructions":  "123456",
		"ceilings_memory":        "16MiB",
		"ceilings_timeout":       "9s",
		"ceilings_cpu":           "25%",
		"memory_limit":           "20MiB",
		"gc_percent":             "60",
		"wan_probe_target":       "192.0.2.1",
		"wan_probe_interval":     "20s",
		"wan_probe_count":        "5",
		"wan_probe_timeout":      "2s",
	}
	conf := filepath.Join(dir, "heimnetz.json")
	uciStubs, err := os.ReadFile(uciStubsFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(busybox, "sh", "-c", string(uciStubs)+procdStubs+`
. "$0"
PROG=/bin/sh
CONF_FILE="$CONF"
validate_heimnetz_section main start_heimnetz
`, initScript)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "CONF=" + conf}
	for k, v := range values {
		cmd.Env = append(cmd.Env, "HZ_"+k+"="+v)
	}
	cmd.Env = append(cmd.Env, "HZ_SECTIONS_plugin=wifi_stations cfg0a1b2c", "HZ_SECTIONS_push=push")
	for k, v := range pushValues {
		cmd.Env = append(cmd.Env, "HZ_push_push_"+k+"="+v)
	}
	for sec, opts := range sections {
		for k, v := range opts {
			cmd.Env = append(cmd.Env, "HZ_plugin_"+sec+"_"+k+"="+v)
		}
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("init script: %v\n%s", err, out)
	}
	data, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("the init script wrote no JSON: %v\n%s", err, data)
	}
	got := Default()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("the config file does not decode into Config: %v\n%s", err, data)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("the config file does not validate: %v", err)
	}
	for _, path := range jsonLeaves(reflect.TypeFor[Config](), "") {
		if field, opt, ok := strings.Cut(path, ".*."); ok {
			if field != "plugins" {
				t.Errorf("config field %s: map it to a UCI section type here and in %s", path, initScript)
				continue
			}
			if !pluginOptions[opt] {
				t.Errorf("config field %s has no option %s in validate_plugin_section of %s", path, opt, initScript)
				continue
			}
			if _, ok := sections["wifi_stations"][opt]; !ok {
				t.Errorf("config field %s: give option %s of the test's plugin sections a value here", path, opt)
				continue
			}
			if g := jsonAt(t, got, "plugins.wifi-stations."+opt); g == "null" {
				t.Errorf("config field %s: option %s of plugin section wifi_stations did not reach it:\n%s", path, opt, data)
			}
			continue
		}
		if opt, ok := strings.CutPrefix(path, "push."); ok {
			if !pushOptions[opt] {
				t.Errorf("config field %s has no option %s in validate_push_section of %s", path, opt, initScript)
				continue
			}
			if _, ok := pushValues[opt]; !ok {
				t.Errorf("config field %s: give option %s of the test's push section a value here", path, opt)
			}
			continue // checked below, as a whole
		}
		uci := strings.ReplaceAll(path, ".", "_")
		if !options[uci] {
			t.Errorf("config field %s has no UCI option %s in %s", path, uci, initScript)
			continue
		}
		if _, ok := values[uci]; !ok {
			t.Errorf("config field %s: give UCI option %s a test value here", path, uci)
			continue
		}
		var at any = raw
		for _, part := range strings.Split(path, ".") {
			m, _ := at.(map[string]any)
			at = m[part]
		}
		if at == nil {
			t.Errorf("config field %s is not in the file the init script writes:\n%s", path, data)
			continue
		}
		switch g, d := jsonAt(t, got, path), jsonAt(t, Default(), path); g {
		case d, "null", "[]", `""`, "0", "false", `"0B"`, `"0s"`:
			t.Errorf("config field %s = %s (default %s): UCI option %s=%q did not reach it", path, g, d, uci, values[uci])
		}
	}
	ws, cpu := got.Plugins["wifi-stations"], got.Plugins["cpu"]
	if len(got.Plugins) != 2 || !ws.Off() || time.Duration(ws.Interval) != 45*time.Second ||
		cpu.Off() || time.Duration(cpu.Interval) != 2*time.Minute {
		t.Errorf("plugin sections arrived as %+v:\n%s", got.Plugins, data)
	}
	wantPush := Push{URL: pushValues["url"], Interval: Duration(15 * time.Second),
		Labels:   map[string]string{"site": "home", "instance": "router-1"},
		Username: "router-1", PasswordFile: "/etc/heimnetz/push.pass",
		QueueBytes: Size(1 << 20), Timeout: Duration(3 * time.Second)}
	if !reflect.DeepEqual(got.Push, wantPush) {
		t.Errorf("the push section arrived as %+v, want %+v:\n%s", got.Push, wantPush, data)
	}
	// bearer_token_file, the one push field left empty above (it excludes
	// username), is checked by scripts/openwrt/test-init.sh.
	if got.AdminPasswordHash != values["admin_password_hash"] || strings.Join(got.Hostnames, " ") != values["hostnames"] ||
		got.Listen != "10.1.2.3:9110" || got.Ceilings.CPU != "25%" {
		t.Errorf("values changed on the way: %+v", got)
	}
}

// sectionOptions returns the options the shell function fn of the init
// script script passes to uci_load_validate.
func sectionOptions(script, fn string) map[string]bool {
	_, body, _ := strings.Cut(script, "\n"+fn+"() {")
	body, _, _ = strings.Cut(body, "\n}")
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`'([a-z_]+):`).FindAllStringSubmatch(body, -1) {
		out[m[1]] = true
	}
	return out
}
