package board

import (
	"errors"
	"runtime"
)

// Operating systems Device reports.
const (
	// OSOpenWrt is reported when /etc/openwrt_release exists (OpenWrt and
	// its derivatives; Device.Distribution tells them apart).
	OSOpenWrt = "OpenWrt"
	// OSLinux is reported for any other Linux system.
	OSLinux = "Linux"
)

// UnknownModel is Device.Model when no source names the hardware.
const UnknownModel = "unknown"

// Device identifies the system: what it is, what it runs and where the
// facts came from.
type Device struct {
	// OS is OSOpenWrt or OSLinux.
	OS string `json:"os"`
	// Distribution is DISTRIB_ID on OpenWrt ("OpenWrt"), else NAME from
	// /etc/os-release ("Debian GNU/Linux"), else empty.
	Distribution string `json:"distribution"`
	// Description is DISTRIB_DESCRIPTION or PRETTY_NAME.
	Description string `json:"description"`
	// Release is DISTRIB_RELEASE ("23.05.3") or VERSION_ID ("12").
	Release string `json:"release"`
	// Revision, Target and PackageArch are DISTRIB_REVISION,
	// DISTRIB_TARGET ("ramips/mt7621") and DISTRIB_ARCH ("mipsel_24kc");
	// empty outside OpenWrt.
	Revision    string `json:"revision,omitempty"`
	Target      string `json:"target,omitempty"`
	PackageArch string `json:"package_arch,omitempty"`
	// Model is the hardware's name, from the first of: board.json
	// model.name, /tmp/sysinfo/model, and /proc/cpuinfo's machine, Model,
	// Hardware or model name; UnknownModel if none has it.
	Model string `json:"model"`
	// ModelSource is the file Model came from ("/etc/board.json",
	// "/tmp/sysinfo/model", "/proc/cpuinfo"), empty when unknown.
	ModelSource string `json:"model_source,omitempty"`
	// BoardID is the OpenWrt board id ("xiaomi,mi-router-4a-gigabit") from
	// board.json model.id or /tmp/sysinfo/board_name; empty if neither.
	BoardID string `json:"board_id,omitempty"`
	// CPUModel is /proc/cpuinfo's model name and CPUs its processor count.
	CPUModel string `json:"cpu_model,omitempty"`
	CPUs     int    `json:"cpus"`
	// Kernel is the kernel release ("5.15.150").
	Kernel string `json:"kernel"`
	// Hostname is the kernel's host name.
	Hostname string `json:"hostname"`
	// GoArch is the GOARCH this program was built for (runtime.GOARCH).
	GoArch string `json:"goarch"`
}

// Device gathers the device identity. Files only some systems have
// (openwrt_release, os-release, board.json, /tmp/sysinfo) are optional.
// Device always returns what it found; err reports files that were
// present but unreadable or malformed and /proc files that are missing,
// joined with errors.Join.
func (b *Board) Device() (Device, error) {
	d := Device{OS: OSLinux, GoArch: runtime.GOARCH}
	var errs []error
	// optional records err unless it only says the file is absent.
	optional := func(err error) bool {
		if err != nil && !isNotExist(err) {
			errs = append(errs, err)
		}
		return err == nil
	}
	required := func(err error) bool {
		if err != nil {
			errs = append(errs, err)
		}
		return err == nil
	}

	owrt, err := b.OpenWrtRelease()
	switch {
	case err == nil:
		d.OS = OSOpenWrt
		d.Distribution, d.Description, d.Release = owrt.ID, owrt.Description, owrt.Release
		d.Revision, d.Target, d.PackageArch = owrt.Revision, owrt.Target, owrt.Arch
	case isNotExist(err):
		if osr, err := b.OSRelease(); optional(err) {
			d.Distribution, d.Description, d.Release = osr.Name, osr.PrettyName, osr.VersionID
		}
	default:
		// The file exists, so this is OpenWrt even if it cannot be parsed.
		d.OS = OSOpenWrt
		errs = append(errs, err)
	}

	if info, err := b.boardInfo(); optional(err) { // only its model is read
		d.BoardID = info.ModelID
		if info.ModelName != "" {
			d.Model, d.ModelSource = info.ModelName, "/"+fileBoardJSON
		}
	}
	if d.Model == "" {
		if m, err := b.Model(); optional(err) && m != "" {
			d.Model, d.ModelSource = m, "/"+fileSysinfoModel
		}
	}
	if d.BoardID == "" {
		if id, err := b.BoardName(); optional(err) {
			d.BoardID = id
		}
	}
	if cpu, err := b.CPUInfo(); required(err) {
		d.CPUModel, d.CPUs = cpu.ModelName, cpu.Processors
		if d.Model == "" {
			for _, m := range []string{cpu.Machine, cpu.Model, cpu.Hardware, cpu.ModelName} {
				if m != "" {
					d.Model, d.ModelSource = m, "/"+fileCPUInfo
					break
				}
			}
		}
	}
	if d.Model == "" {
		d.Model = UnknownModel
	}

	if u, ok := b.kernelNames(); ok {
		d.Kernel, d.Hostname = u.Release, u.Nodename
	} else {
		if k, err := b.KernelRelease(); required(err) {
			d.Kernel = k
		}
		if h, err := b.Hostname(); required(err) {
			d.Hostname = h
		}
	}
	return d, errors.Join(errs...)
}

// kernelNames is what uname(2) says, on a live Board, or a fixture
// tree's stand-in for it, when there is one: the kernel release and host
// name in one request instead of two files. ok is false when neither
// answers; then they are read from /proc/sys/kernel.
func (b *Board) kernelNames() (Utsname, bool) {
	if b.live {
		u, err := b.Uname()
		return u, err == nil
	}
	data, err := b.readFile(fileFixtureUname)
	if err != nil {
		return Utsname{}, false
	}
	u, err := parseFixtureUname(fileFixtureUname, data)
	return u, err == nil
}
