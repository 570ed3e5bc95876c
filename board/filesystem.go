package board

import (
	"errors"
	"fmt"
)

// Filesystem is the size and use of one mounted filesystem, as
// node_exporter's node_filesystem_*{device,fstype,mountpoint} report it.
// Sizes are in bytes.
type Filesystem struct {
	Device     string `json:"device"`
	FSType     string `json:"fstype"`
	MountPoint string `json:"mountpoint"`
	Size       uint64 `json:"size"`
	Free       uint64 `json:"free"`
	// Avail is what an unprivileged process may still use.
	Avail     uint64 `json:"avail"`
	Files     uint64 `json:"files"`
	FilesFree uint64 `json:"files_free"`
	ReadOnly  bool   `json:"readonly"`
}

// Filesystems reads /proc/mounts and asks statfs about every mount that
// holds data (overlay, rootfs, tmpfs, ext4, ubifs, squashfs, jffs2, f2fs,
// ...; not proc, sysfs, cgroup and the other pseudo filesystems). A mount
// point listed twice is reported once (the last mount, which is the
// visible one). A mount whose statfs fails (a stale network mount) is left
// out and reported in err, while the others are returned.
func (b *Board) Filesystems() ([]Filesystem, error) {
	mounts, err := b.Mounts()
	if err != nil {
		return nil, err
	}
	last := make(map[string]int, len(mounts))
	for i, m := range mounts {
		last[m.MountPoint] = i
	}
	var (
		out  []Filesystem
		errs []error
	)
	for i, m := range mounts {
		if pseudoFS[m.FSType] || last[m.MountPoint] != i {
			continue
		}
		u, err := b.statfs(m.MountPoint)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", m.MountPoint, err))
			continue
		}
		out = append(out, Filesystem{Device: m.Device, FSType: m.FSType, MountPoint: m.MountPoint,
			Size: u.Total, Free: u.Free, Avail: u.Available, Files: u.Files, FilesFree: u.FilesFree, ReadOnly: m.ReadOnly})
	}
	return out, errors.Join(errs...)
}
