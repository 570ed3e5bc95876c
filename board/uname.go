package board

import (
	"strings"
)

const (
	fileOSType     = "proc/sys/kernel/ostype"
	fileKernelVer  = "proc/sys/kernel/version"
	fileDomainname = "proc/sys/kernel/domainname"
	fileArch       = "proc/sys/kernel/arch"
	// fileFixtureUname stands in a fixture tree for uname(2): one file,
	// read as one, where the six files of /proc/sys/kernel cost six
	// opens for what a live Board asks in one system call.
	fileFixtureUname = FixtureDir + "/uname"
)

// Uname reports the kernel's names (node_uname_info). A live Board asks
// uname(2); a fixture tree gives them in heimnetz-fixture/uname (see
// parseFixtureUname), or, lacking it, in /proc/sys/kernel/{ostype,
// osrelease,version,hostname,domainname,arch}, of which ostype and
// osrelease are required (arch exists from Linux 6.1 on; without it
// Machine is empty).
func (b *Board) Uname() (Utsname, error) {
	if b.live {
		return Uname()
	}
	data, err := b.readFile(fileFixtureUname)
	if err == nil {
		return parseFixtureUname(fileFixtureUname, data)
	}
	if !isNotExist(err) {
		return Utsname{}, err
	}
	var u Utsname
	if u.Sysname, err = b.readAttribute(fileOSType); err != nil {
		return Utsname{}, err
	}
	if u.Release, err = b.readAttribute(fileKernelRelease); err != nil {
		return Utsname{}, err
	}
	for _, f := range []struct {
		file string
		dst  *string
	}{{fileKernelVer, &u.Version}, {fileHostname, &u.Nodename}, {fileDomainname, &u.Domainname}, {fileArch, &u.Machine}} {
		v, err := b.readAttribute(f.file)
		if err != nil && !isNotExist(err) {
			return Utsname{}, err
		}
		*f.dst = v
	}
	return u, nil
}

// parseFixtureUname parses a fixture's stand-in for uname(2), one
// "FIELD VALUE" line per field of struct utsname, the value being the
// rest of the line (it may hold spaces, or be empty):
//
//	sysname Linux
//	nodename OpenWrt
//	release 5.15.150
//	version #0 SMP Mon Mar 25 22:27:10 2024
//	machine mips
//	domainname (none)
//
// sysname and release are required, as ostype and osrelease are in the
// six-file form; an unknown or repeated field is an error.
func parseFixtureUname(file string, data []byte) (Utsname, error) {
	var u Utsname
	seen := map[string]bool{}
	for n, line := range lines(string(data)) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		key, val, _ := strings.Cut(line, " ")
		var dst *string
		switch key {
		case "sysname":
			dst = &u.Sysname
		case "nodename":
			dst = &u.Nodename
		case "release":
			dst = &u.Release
		case "version":
			dst = &u.Version
		case "machine":
			dst = &u.Machine
		case "domainname":
			dst = &u.Domainname
		default:
			return Utsname{}, malformed(file, n, "unknown field %q", key)
		}
		if seen[key] {
			return Utsname{}, malformed(file, n, "%s: given twice", key)
		}
		seen[key] = true
		*dst = strings.TrimSpace(val)
	}
	for _, key := range []string{"sysname", "release"} {
		if !seen[key] {
			return Utsname{}, malformed(file, 0, "no %s", key)
		}
	}
	return u, nil
}
