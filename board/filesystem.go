package board

import (
	"errors"
	"fmt"
	"time"
)

// statfsTimeout bounds one statfs call: a hung network mount (NFS, CIFS)
// blocks statfs until the server answers.
const statfsTimeout = 250 * time.Millisecond

// errStatfsStuck is reported for a mount whose earlier statfs has not
// returned yet; it is not asked again until it does.
var errStatfsStuck = errors.New("statfs did not return (a hung network mount?)")

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
		u, err := b.statfsBounded(m.MountPoint)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", m.MountPoint, err))
			continue
		}
		out = append(out, Filesystem{Device: m.Device, FSType: m.FSType, MountPoint: m.MountPoint,
			Size: u.Total, Free: u.Free, Avail: u.Available, Files: u.Files, FilesFree: u.FilesFree, ReadOnly: m.ReadOnly})
	}
	return out, errors.Join(errs...)
}

// statfsBounded calls b.statfs in a goroutine and gives up after
// statfsTimeout. The mount point is remembered as stuck until that call
// returns, so a hung mount costs one blocked goroutine, not one per call.
func (b *Board) statfsBounded(mountpoint string) (FSUsage, error) {
	if _, stuck := b.stuck.LoadOrStore(mountpoint, true); stuck {
		return FSUsage{}, errStatfsStuck
	}
	type result struct {
		u   FSUsage
		err error
	}
	done := make(chan result, 1)
	go func() {
		u, err := b.statfs(mountpoint)
		b.stuck.Delete(mountpoint)
		done <- result{u, err}
	}()
	t := time.NewTimer(statfsTimeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.u, r.err
	case <-t.C:
		return FSUsage{}, errStatfsStuck
	}
}
