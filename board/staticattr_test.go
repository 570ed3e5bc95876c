package board

import (
	"testing"
	"testing/fstest"
	"time"
)

// TestStaticAttributes checks that a hwmon chip's name and labels and a
// thermal zone's type are read once, and read again when the directory's
// entry set changes or the remembered value grows old.
func TestStaticAttributes(t *testing.T) {
	m := fstest.MapFS{
		"sys/class/hwmon/hwmon0/name":          {Data: []byte("cpu_thermal\n")},
		"sys/class/hwmon/hwmon0/temp1_input":   {Data: []byte("40000\n")},
		"sys/class/hwmon/hwmon0/temp1_label":   {Data: []byte("cpu\n")},
		"sys/class/thermal/thermal_zone0/type": {Data: []byte("soc\n")},
		"sys/class/thermal/thermal_zone0/temp": {Data: []byte("41000\n")},
	}
	b := NewFS(m)
	now := time.Unix(1000, 0)
	b.now = func() time.Time { return now }
	read := func() (name, label, typ string) {
		t.Helper()
		chips, err := b.Hwmon()
		if err != nil || len(chips) != 1 || len(chips[0].Temps) != 1 {
			t.Fatalf("Hwmon: %+v, %v", chips, err)
		}
		zones, err := b.Thermal()
		if err != nil || len(zones) == 0 {
			t.Fatalf("Thermal: %+v, %v", zones, err)
		}
		return chips[0].Name, chips[0].Temps[0].Label, zones[0].Type
	}
	check := func(step, name, label, typ string) {
		t.Helper()
		n, l, ty := read()
		if n != name || l != label || ty != typ {
			t.Errorf("%s: name %q label %q type %q; want %q %q %q", step, n, l, ty, name, label, typ)
		}
	}
	check("first", "cpu_thermal", "cpu", "soc")

	// Same entry sets: the remembered values stand.
	m["sys/class/hwmon/hwmon0/name"].Data = []byte("other\n")
	m["sys/class/hwmon/hwmon0/temp1_label"].Data = []byte("other\n")
	m["sys/class/thermal/thermal_zone0/type"].Data = []byte("other\n")
	check("cached", "cpu_thermal", "cpu", "soc")

	// A new file in the chip and a new zone: read again.
	m["sys/class/hwmon/hwmon0/temp1_crit"] = &fstest.MapFile{Data: []byte("90000\n")}
	m["sys/class/thermal/thermal_zone1/type"] = &fstest.MapFile{Data: []byte("wifi\n")}
	m["sys/class/thermal/thermal_zone1/temp"] = &fstest.MapFile{Data: []byte("42000\n")}
	check("entries changed", "other", "other", "other")

	// A label removed under the same entry set is still found after the
	// age bound; an absent file is remembered as absent.
	m["sys/class/hwmon/hwmon0/name"].Data = []byte("aged\n")
	check("not yet old", "other", "other", "other")
	now = now.Add(maxStaticAttrAge)
	check("old", "aged", "other", "other")
}

// TestStaticAttributesBound checks that the cache never holds more than
// maxStaticAttrs files.
func TestStaticAttributesBound(t *testing.T) {
	m := fstest.MapFS{}
	b := NewFS(m)
	for i := range maxStaticAttrs * 2 {
		name := "sys/x/" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		m[name] = &fstest.MapFile{Data: []byte("v\n")}
		if v, err := b.staticAttribute(name, 1); err != nil || v != "v" {
			t.Fatalf("%s: %q, %v", name, v, err)
		}
		if n := len(b.static.entries); n > maxStaticAttrs {
			t.Fatalf("%d entries, bound %d", n, maxStaticAttrs)
		}
	}
	if _, err := b.staticAttribute("sys/x/missing", 1); !isNotExist(err) {
		t.Fatalf("missing file: %v, want not-exist", err)
	}
	if _, err := b.staticAttribute("sys/x/missing", 1); !isNotExist(err) {
		t.Fatalf("missing file remembered: %v, want not-exist", err)
	}
}

// TestLinkSpeedCache checks that a link's speed is read again when its
// carrier changes or the remembered speed grows old, and not otherwise.
func TestLinkSpeedCache(t *testing.T) {
	m := fstest.MapFS{"sys/class/net/wan/speed": {Data: []byte("1000\n")}}
	b := NewFS(m)
	now := time.Unix(1000, 0)
	b.now = func() time.Time { return now }
	changes := uint64(3)
	l := link{name: "wan", up: true, carrier: true, operState: "up", carrierChanges: &changes}
	speed := func(step string, want int64) {
		t.Helper()
		got, err := b.linkSpeed(l)
		if err != nil || got == nil || *got != want {
			t.Errorf("%s: speed %v, %v; want %d", step, got, err, want)
		}
	}
	speed("first", 1000)
	m["sys/class/net/wan/speed"].Data = []byte("100\n")
	speed("same state", 1000)
	more := changes + 2
	l.carrierChanges = &more
	speed("carrier changed", 100)
	m["sys/class/net/wan/speed"].Data = []byte("10\n")
	now = now.Add(maxSpeedAge)
	speed("old", 10)
	l.carrierChanges = nil
	m["sys/class/net/wan/speed"].Data = []byte("2500\n")
	speed("no carrier-change count", 2500)
}
