package board

import (
	"fmt"
	"strings"
	"testing"
)

func TestHwmon(t *testing.T) {
	b := mapFS(map[string]string{
		"sys/class/hwmon/hwmon10/name":        "pwmfan\n",
		"sys/class/hwmon/hwmon10/fan1_input":  "2870\n",
		"sys/class/hwmon/hwmon2/name":         "mt7915_phy0\n",
		"sys/class/hwmon/hwmon2/temp1_input":  "47000\n",
		"sys/class/hwmon/hwmon2/temp2_input":  "-5500\n",
		"sys/class/hwmon/hwmon2/temp2_label":  "board\n",
		"sys/class/hwmon/hwmon2/temp2_crit":   "95000\n",
		"sys/class/hwmon/hwmon2/temp10_input": "x\n", // broken: left out, named in err
		"sys/class/hwmon/notachip/name":       "x\n",
	})
	got, err := b.Hwmon()
	if err == nil || !strings.Contains(err.Error(), "temp10_input") {
		t.Errorf("error = %v, want temp10_input named", err)
	}
	crit := 95.0
	want := []HwmonChip{
		{Chip: "hwmon2", Name: "mt7915_phy0", Temps: []HwmonTemp{{Sensor: "temp1", Celsius: 47}, {Sensor: "temp2", Label: "board", Celsius: -5.5, CritCelsius: &crit}}, Fans: []HwmonFanRPM{}},
		{Chip: "hwmon10", Name: "pwmfan", Temps: []HwmonTemp{}, Fans: []HwmonFanRPM{{Sensor: "fan1", RPM: 2870}}},
	}
	if len(got) != 2 || fmt.Sprint(got[1]) != fmt.Sprint(want[1]) || got[0].Temps[1].Label != "board" ||
		*got[0].Temps[1].CritCelsius != 95 || len(got[0].Temps) != 2 || got[0].Temps[0] != want[0].Temps[0] {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	none, err := mapFS(nil).Hwmon()
	if none != nil || err != nil {
		t.Fatalf("no hwmon: %v, %v; want nothing and no error", none, err)
	}
}

func TestHwmonBounds(t *testing.T) {
	files := map[string]string{}
	for i := range maxHwmonChips + 5 {
		files[fmt.Sprintf("sys/class/hwmon/hwmon%d/temp1_input", i)] = "1000\n"
	}
	for i := range maxHwmonSensors + 5 {
		files[fmt.Sprintf("sys/class/hwmon/hwmon0/temp%d_input", i+1)] = "1000\n"
	}
	got, err := mapFS(files).Hwmon()
	if err != nil || len(got) != maxHwmonChips || len(got[0].Temps) != maxHwmonSensors {
		t.Fatalf("%d chips, %d sensors, %v; want %d and %d", len(got), len(got[0].Temps), err, maxHwmonChips, maxHwmonSensors)
	}
}
