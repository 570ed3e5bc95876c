package board

import (
	"errors"
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

// maxThermalZones bounds how many zones Thermal reads; routers have a few.
const maxThermalZones = 64

// Thermal reads the thermal zones (at most maxThermalZones) in zone-number
// order. A device without
// /sys/class/thermal has no zones: the result is empty and err is nil. A
// zone whose files cannot be read or parsed is left out and reported in
// err (errors.Join of each zone's error), while the other zones are
// returned.
func (b *Board) Thermal() ([]ThermalZone, error) {
	zones, err := b.numberedDirs(dirThermal, "thermal_zone", maxThermalZones)
	if err != nil {
		return nil, err
	}
	var (
		out  []ThermalZone
		errs []error
	)
	sig := entrySignature(zones)
	for _, z := range zones {
		tz, err := b.thermalZone(z, sig)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, tz)
	}
	return out, errors.Join(errs...)
}

// thermalZone reads the type and temp files of one zone directory. The
// type is read once while the set of zones (whose signature is sig) stays
// the same.
func (b *Board) thermalZone(name string, sig uint64) (ThermalZone, error) {
	dir := dirThermal + "/" + name
	typ, err := b.staticAttribute(dir+"/type", sig)
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
