package board

import (
	"cmp"
	"errors"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

const dirThermal = "sys/class/thermal"

// ThermalZone is one /sys/class/thermal/thermal_zoneN directory.
type ThermalZone struct {
	// Zone is the directory name, e.g. "thermal_zone0".
	Zone string `json:"zone"`
	// Type names the sensor, e.g. "cpu-thermal" or "soc_thermal".
	Type string `json:"type"`
	// Celsius is the temperature in degrees Celsius (the file holds
	// millidegrees).
	Celsius float64 `json:"celsius"`
}

// Thermal reads every thermal zone in zone-number order. A device without
// /sys/class/thermal has no zones: the result is empty and err is nil. A
// zone whose files cannot be read or parsed is left out and reported in
// err (errors.Join of each zone's error), while the other zones are
// returned.
func (b *Board) Thermal() ([]ThermalZone, error) {
	entries, err := fs.ReadDir(b.fsys, dirThermal)
	if err != nil {
		if isNotExist(err) {
			return nil, nil
		}
		return nil, fileError(dirThermal, err)
	}
	type numbered struct {
		n    uint64
		name string
	}
	var zones []numbered
	for _, e := range entries {
		num, ok := strings.CutPrefix(e.Name(), "thermal_zone")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(num, 10, 64)
		if err != nil {
			continue
		}
		zones = append(zones, numbered{n, e.Name()})
	}
	slices.SortFunc(zones, func(a, b numbered) int { return cmp.Compare(a.n, b.n) })

	var (
		out  []ThermalZone
		errs []error
	)
	for _, z := range zones {
		tz, err := b.thermalZone(z.name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, tz)
	}
	return out, errors.Join(errs...)
}

// thermalZone reads the type and temp files of one zone directory.
func (b *Board) thermalZone(name string) (ThermalZone, error) {
	dir := dirThermal + "/" + name
	typ, err := b.readAttribute(dir + "/type")
	if err != nil {
		return ThermalZone{}, err
	}
	data, err := b.readFile(dir + "/temp")
	if err != nil {
		return ThermalZone{}, err
	}
	c, err := parseMilliCelsius(dir+"/temp", data)
	if err != nil {
		return ThermalZone{}, err
	}
	return ThermalZone{Zone: name, Type: typ, Celsius: c}, nil
}

// parseMilliCelsius parses a temp file such as "47250" (47.25 °C).
func parseMilliCelsius(file string, data []byte) (float64, error) {
	s, err := parseAttribute(file, data)
	if err != nil {
		return 0, err
	}
	v, err := parseInt(s)
	if err != nil {
		return 0, malformed(file, 1, "temperature: %w", err)
	}
	return float64(v) / 1000, nil
}
