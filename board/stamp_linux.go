package board

import (
	"io/fs"
	"syscall"

	"golang.org/x/sys/unix"
)

// stamp returns the stamp of the regular file name, with one stat
// system call on a Board that opens files by path; ok is false when
// there is none to trust (stat failed, the file is not a regular file,
// or the tree's files have no inode, as in an in-memory tree). err is
// stat's error (a *fs.PathError).
func (b *Board) stamp(name string) (_ fileStamp, ok bool, err error) {
	if b.dir != "" {
		if !fs.ValidPath(name) {
			return fileStamp{}, false, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
		}
		var st unix.Stat_t
		for {
			err = unix.Stat(b.dir+name, &st)
			if err != unix.EINTR {
				break
			}
		}
		if err != nil {
			return fileStamp{}, false, &fs.PathError{Op: "stat", Path: name, Err: err}
		}
		if st.Mode&unix.S_IFMT != unix.S_IFREG {
			return fileStamp{}, false, nil
		}
		return fileStamp{
			dev: uint64(st.Dev), ino: uint64(st.Ino), size: int64(st.Size),
			mtime: unix.TimespecToNsec(st.Mtim), ctime: unix.TimespecToNsec(st.Ctim),
		}, true, nil
	}
	fi, err := fs.Stat(b.fsys, name)
	if err != nil {
		return fileStamp{}, false, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || !fi.Mode().IsRegular() {
		return fileStamp{}, false, nil
	}
	return fileStamp{
		dev: uint64(st.Dev), ino: uint64(st.Ino), size: int64(st.Size),
		mtime: syscall.TimespecToNsec(st.Mtim), ctime: syscall.TimespecToNsec(st.Ctim),
	}, true, nil
}
