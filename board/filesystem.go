package board

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// statfsTimeout bounds one statfs call: a hung network mount (NFS, CIFS)
// blocks statfs until the server answers.
const statfsTimeout = 250 * time.Millisecond

// errStatfsStuck is reported for a mount whose earlier statfs has not
// returned yet; it is not asked again until it does.
var errStatfsStuck = errors.New("statfs did not return (a hung network mount?)")

// errStatfsNotAsked is reported for a mount that waited behind a hung one
// in the same call; it is asked again next time.
var errStatfsNotAsked = errors.New("statfs not asked: an earlier mount's did not return")

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

// memoryFS are the filesystem types whose statfs(2) answers from the
// kernel's memory and never waits for a device or a server: statfs is
// asked directly for them. Every other type (a USB disk, overlay over
// whatever its upper layer is, a network mount) is asked by
// statfsBounded, since statfs may block on its device or server.
var memoryFS = map[string]bool{
	"tmpfs": true, "rootfs": true, "squashfs": true, "ubifs": true, "jffs2": true,
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
		keep    []Mount
		bounded []string
	)
	for i, m := range mounts {
		if pseudoFS[m.FSType] || last[m.MountPoint] != i {
			continue
		}
		keep = append(keep, m)
		if !memoryFS[m.FSType] {
			bounded = append(bounded, m.MountPoint)
		}
	}
	results := b.statfsBounded(bounded)
	var (
		out  []Filesystem
		errs []error
	)
	for _, m := range keep {
		var r statfsResult
		if memoryFS[m.FSType] {
			r.u, r.err = b.statfs(m.MountPoint)
		} else {
			r = results[m.MountPoint]
		}
		if r.err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", m.MountPoint, r.err))
			continue
		}
		u := r.u
		out = append(out, Filesystem{Device: m.Device, FSType: m.FSType, MountPoint: m.MountPoint,
			Size: u.Total, Free: u.Free, Avail: u.Available, Files: u.Files, FilesFree: u.FilesFree, ReadOnly: m.ReadOnly})
	}
	return out, errors.Join(errs...)
}

// isStuck reports whether mp's statfs has been asked and not returned.
func isStuck(stuck *sync.Map, mp string) bool {
	_, ok := stuck.Load(mp)
	return ok
}

// statfsResult is what statfs said about one mount point.
type statfsResult struct {
	u   FSUsage
	err error
}

// statfsBounded asks statfs about the mount points in order, in one
// goroutine, and gives up on what has not answered after statfsTimeout
// (one goroutine and one wake-up per call rather than one per mount: on
// a thread locked for CPU accounting each wake-up is a hand-off between
// threads). A mount point is remembered as stuck until its call returns,
// and not asked meanwhile, so a hung mount costs one blocked goroutine,
// not one per call; the mounts after it in the same call are reported as
// not asked, and asked again next time.
func (b *Board) statfsBounded(mountpoints []string) map[string]statfsResult {
	if len(mountpoints) == 0 {
		return nil
	}
	var (
		mu      sync.Mutex
		results = make(map[string]statfsResult, len(mountpoints))
		gaveUp  bool
		done    = make(chan struct{})
	)
	go func() {
		defer close(done)
		for _, mp := range mountpoints {
			mu.Lock()
			late := gaveUp
			mu.Unlock()
			if late {
				return
			}
			if _, stuck := b.stuck.LoadOrStore(mp, true); stuck {
				mu.Lock()
				results[mp] = statfsResult{err: errStatfsStuck}
				mu.Unlock()
				continue
			}
			u, err := b.statfs(mp)
			b.stuck.Delete(mp)
			mu.Lock()
			results[mp] = statfsResult{u, err}
			mu.Unlock()
		}
	}()
	t := time.NewTimer(statfsTimeout)
	defer t.Stop()
	select {
	case <-done:
		return results
	case <-t.C:
	}
	mu.Lock()
	defer mu.Unlock()
	gaveUp = true
	out := make(map[string]statfsResult, len(mountpoints))
	for _, mp := range mountpoints {
		r, ok := results[mp]
		switch {
		case ok:
		case isStuck(&b.stuck, mp):
			r.err = errStatfsStuck
		default:
			r.err = errStatfsNotAsked
		}
		out[mp] = r
	}
	return out
}
