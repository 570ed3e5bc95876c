package board

import (
	"strconv"
	"strings"
)

const fileMounts = "proc/mounts"

// maxMounts bounds how many lines of /proc/mounts are kept; a router has a
// dozen, a container host a few hundred.
const maxMounts = 1024

// Mount is one line of /proc/mounts.
type Mount struct {
	Device     string `json:"device"`
	MountPoint string `json:"mountpoint"`
	FSType     string `json:"fstype"`
	// Options are the mount options, e.g. "rw,noatime".
	Options  string `json:"options"`
	ReadOnly bool   `json:"readonly"`
}

// pseudoFS are the filesystem types that hold no data of the owner's and
// are left out of Filesystems, as node_exporter does by default.
var pseudoFS = map[string]bool{
	"autofs": true, "binfmt_misc": true, "bpf": true, "cgroup": true, "cgroup2": true, "configfs": true,
	"debugfs": true, "devpts": true, "devtmpfs": true, "fusectl": true, "hugetlbfs": true, "mqueue": true,
	"nsfs": true, "proc": true, "procfs": true, "pstore": true, "rpc_pipefs": true, "securityfs": true,
	"selinuxfs": true, "sysfs": true, "tracefs": true, "efivarfs": true, "fuse.lxcfs": true, "ramfs": true,
}

// Mounts reads /proc/mounts in the kernel's order, at most maxMounts
// lines (more is an error).
func (b *Board) Mounts() ([]Mount, error) {
	data, err := b.readFile(fileMounts)
	if err != nil {
		return nil, err
	}
	return parseMounts(fileMounts, data)
}

// parseMounts parses "DEVICE MOUNTPOINT FSTYPE OPTIONS 0 0" lines, where
// the kernel writes space, tab, newline and backslash in names as octal
// escapes (\040).
func parseMounts(file string, data []byte) ([]Mount, error) {
	var out []Mount
	var fb [7]string
	for n, line := range lines(string(data)) {
		f := appendFields(fb[:0], line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 6 {
			return nil, malformed(file, n, "want 6 fields, got %d", len(f))
		}
		if len(out) == maxMounts {
			return nil, malformed(file, n, "more than %d mounts", maxMounts)
		}
		m := Mount{Device: unescapeMount(f[0]), MountPoint: unescapeMount(f[1]), FSType: strings.Clone(f[2]), Options: strings.Clone(f[3])}
		if !strings.HasPrefix(m.MountPoint, "/") {
			return nil, malformed(file, n, "mount point %q is not absolute", m.MountPoint)
		}
		for _, o := range strings.Split(m.Options, ",") {
			if o == "ro" {
				m.ReadOnly = true
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// unescapeMount undoes the kernel's octal escapes (\040 for a space); a
// backslash not followed by three octal digits is kept as it is.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return strings.Clone(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
