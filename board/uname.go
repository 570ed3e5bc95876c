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
	fields := [...]struct {
		key string
		dst *string
	}{
		{"sysname", &u.Sysname}, {"release", &u.Release}, {"nodename", &u.Nodename},
		{"version", &u.Version}, {"machine", &u.Machine}, {"domainname", &u.Domainname},
	}
	var seen [len(fields)]bool
	for n, line := range lines(string(data)) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		key, val, _ := strings.Cut(line, " ")
		i := 0
		for i < len(fields) && fields[i].key != key {
			i++
		}
		if i == len(fields) {
			return Utsname{}, malformed(file, n, "unknown field %q", key)
		}
		if seen[i] {
			return Utsname{}, malformed(file, n, "%s: given twice", key)
		}
		seen[i] = true
		*fields[i].dst = strings.TrimSpace(val)
	}
	for i := range 2 { // sysname and release
		if !seen[i] {
			return Utsname{}, malformed(file, 0, "no %s", fields[i].key)
		}
	}
	return u, nil
}
