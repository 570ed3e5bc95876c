package board

import (
	"errors"
	"reflect"
	"testing"
)

func TestThermalFixtures(t *testing.T) {
	tests := []struct {
		root string
		want []ThermalZone
	}{
		{"openwrt-mt7621", nil},
		{"openwrt-filogic", []ThermalZone{{Zone: "thermal_zone0", Type: "cpu-thermal", Celsius: 47.25}}},
		{"debian-x86", []ThermalZone{
			{Zone: "thermal_zone0", Type: "acpitz", Celsius: 27.8},
			{Zone: "thermal_zone1", Type: "x86_pkg_temp", Celsius: 52},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got, err := fixture(t, tt.root).Thermal()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Thermal() = %+v,\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestThermalOrderAndErrors(t *testing.T) {
	b := mapFS(map[string]string{
		"sys/class/thermal/thermal_zone10/type": "ddr\n",
		"sys/class/thermal/thermal_zone10/temp": "-5500\n",
		"sys/class/thermal/thermal_zone2/type":  "soc\n",
		"sys/class/thermal/thermal_zone2/temp":  "61000\n",
		"sys/class/thermal/thermal_zone3/type":  "broken\n",
		"sys/class/thermal/thermal_zone3/temp":  "hot\n",
		"sys/class/thermal/thermal_zoneX/type":  "ignored\n",
		"sys/class/thermal/cooling_device0/cur": "0\n",
	})
	got, err := b.Thermal()
	want := []ThermalZone{{Zone: "thermal_zone2", Type: "soc", Celsius: 61}, {Zone: "thermal_zone10", Type: "ddr", Celsius: -5.5}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Thermal() = %+v,\nwant %+v", got, want)
	}
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != "/sys/class/thermal/thermal_zone3/temp" {
		t.Fatalf("error = %v, want a *ParseError for thermal_zone3/temp", err)
	}
}

func TestParseMilliCelsius(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{in: "47250\n", want: 47.25},
		{in: "-1000", want: -1},
		{in: "0", want: 0},
		{in: "47.5", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseMilliCelsius("sys/class/thermal/thermal_zone0/temp", []byte(tt.in))
		checkParseErr(t, "sys/class/thermal/thermal_zone0/temp", err)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseMilliCelsius(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzMilliCelsius(f *testing.F) {
	addFixtureSeeds(f, "sys/class/thermal/thermal_zone0/temp")
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "sys/class/thermal/thermal_zone0/temp"
		c, err := parseMilliCelsius(file, data)
		checkParseErr(t, file, err)
		if err == nil && (c > 9.3e15 || c < -9.3e15) {
			t.Fatalf("temperature %v out of int64 millidegree range", c)
		}
	})
}
