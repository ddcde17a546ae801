//go:build linux || darwin || freebsd

package database

import (
	"path/filepath"
	"syscall"
)

// FreeSpace is how many bytes an unprivileged process may still write on
// the file system that holds path's folder; ok is false when it cannot be read.
func FreeSpace(path string) (free uint64, ok bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true // the field types differ by system
}
