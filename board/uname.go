package board

const (
	fileOSType     = "proc/sys/kernel/ostype"
	fileKernelVer  = "proc/sys/kernel/version"
	fileDomainname = "proc/sys/kernel/domainname"
	fileArch       = "proc/sys/kernel/arch"
)

// Uname reports the kernel's names (node_uname_info). A live Board asks
// uname(2); a fixture tree gives them in /proc/sys/kernel/{ostype,
// osrelease,version,hostname,domainname,arch}, of which ostype and
// osrelease are required (arch exists from Linux 6.1 on; without it
// Machine is empty).
func (b *Board) Uname() (Utsname, error) {
	if b.live {
		return Uname()
	}
	var u Utsname
	var err error
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
