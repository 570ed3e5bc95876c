package board

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
)

const dirHwmon = "sys/class/hwmon"

// Bounds on what Hwmon reads: a router has one to four chips with a few
// sensors each.
const (
	maxHwmonChips   = 64
	maxHwmonSensors = 64
)

// HwmonChip is one /sys/class/hwmon/hwmonN directory.
type HwmonChip struct {
	// Chip is the directory name, e.g. "hwmon0".
	Chip string `json:"chip"`
	// Name is the driver's name for the chip, e.g. "mt7915_phy0" or
	// "cpu_thermal"; empty when the name file is missing.
	Name  string        `json:"name"`
	Temps []HwmonTemp   `json:"temps"`
	Fans  []HwmonFanRPM `json:"fans"`
}

// HwmonTemp is one tempN sensor (node_hwmon_temp_celsius{chip,sensor}).
type HwmonTemp struct {
	// Sensor is "temp1", "temp2", ...
	Sensor string `json:"sensor"`
	// Label is tempN_label when the driver gives one.
	Label   string  `json:"label,omitempty"`
	Celsius float64 `json:"celsius"`
	// CritCelsius is tempN_crit, nil when absent.
	CritCelsius *float64 `json:"crit_celsius,omitempty"`
}

// HwmonFanRPM is one fanN sensor (node_hwmon_fan_rpm{chip,sensor}).
type HwmonFanRPM struct {
	Sensor string  `json:"sensor"`
	RPM    float64 `json:"rpm"`
}

// Hwmon reads every hwmon chip in number order, at most maxHwmonChips
// chips of maxHwmonSensors temperatures and fans each. A device without
// /sys/class/hwmon has none: the result is empty and err is nil. A sensor
// whose input cannot be read (some drivers fail while the radio is off)
// is left out and reported in err, while the rest is returned.
func (b *Board) Hwmon() ([]HwmonChip, error) {
	chips, err := b.numberedDirs(dirHwmon, "hwmon", maxHwmonChips)
	if err != nil || chips == nil {
		return nil, err
	}
	var (
		out  []HwmonChip
		errs []error
	)
	for _, chip := range chips {
		c, err := b.hwmonChip(chip)
		if err != nil {
			errs = append(errs, err)
		}
		out = append(out, c)
	}
	return out, errors.Join(errs...)
}

// hwmonChip reads one chip directory.
func (b *Board) hwmonChip(chip string) (HwmonChip, error) {
	dir := dirHwmon + "/" + chip
	c := HwmonChip{Chip: chip, Temps: []HwmonTemp{}, Fans: []HwmonFanRPM{}}
	names, err := b.readDirNames(dir)
	if err != nil {
		return c, fileError(dir, err)
	}
	sig := entrySignature(names)
	if name, err := b.staticAttribute(dir+"/name", sig); err == nil {
		c.Name = name
	}
	var errs []error
	var temps, fans []uint64
	for _, e := range names {
		if n, ok := sensorNumber(e, "temp"); ok {
			temps = append(temps, n)
		} else if n, ok := sensorNumber(e, "fan"); ok {
			fans = append(fans, n)
		}
	}
	slices.Sort(temps)
	slices.Sort(fans)
	for _, n := range temps[:min(len(temps), maxHwmonSensors)] {
		sensor := "temp" + strconv.FormatUint(n, 10)
		data, err := b.readFile(dir + "/" + sensor + "_input")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		v, err := parseMilliCelsius(dir+"/"+sensor+"_input", data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t := HwmonTemp{Sensor: sensor, Celsius: v}
		if l, err := b.staticAttribute(dir+"/"+sensor+"_label", sig); err == nil {
			t.Label = l
		}
		if data, err := b.readFile(dir + "/" + sensor + "_crit"); err == nil {
			if v, err := parseMilliCelsius(dir+"/"+sensor+"_crit", data); err == nil {
				t.CritCelsius = &v
			}
		}
		c.Temps = append(c.Temps, t)
	}
	for _, n := range fans[:min(len(fans), maxHwmonSensors)] {
		sensor := "fan" + strconv.FormatUint(n, 10)
		v, err := b.readUintAttribute(dir + "/" + sensor + "_input")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c.Fans = append(c.Fans, HwmonFanRPM{Sensor: sensor, RPM: float64(v)})
	}
	return c, errors.Join(errs...)
}

// sensorNumber returns N for a file named PREFIX + N + "_input".
func sensorNumber(file, prefix string) (uint64, bool) {
	s, ok := strings.CutPrefix(file, prefix)
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, "_input")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return n, err == nil
}

// numberedDirs lists the entries PREFIX + N of dir in number order, at
// most max of them. A missing dir gives nil and no error.
func (b *Board) numberedDirs(dir, prefix string, max int) ([]string, error) {
	names, err := b.readDirNames(dir)
	if err != nil {
		if isNotExist(err) {
			return nil, nil
		}
		return nil, fileError(dir, err)
	}
	type numbered struct {
		n    uint64
		name string
	}
	var found []numbered
	for _, e := range names {
		num, ok := strings.CutPrefix(e, prefix)
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(num, 10, 32)
		if err != nil {
			continue
		}
		found = append(found, numbered{n, e})
	}
	slices.SortFunc(found, func(a, b numbered) int { return cmp.Compare(a.n, b.n) })
	out := make([]string, 0, min(len(found), max))
	for _, f := range found[:min(len(found), max)] {
		out = append(out, f.name)
	}
	return out, nil
}
