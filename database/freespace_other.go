//go:build !(linux || darwin || freebsd)

package database

// FreeSpace cannot be read on this system; the disk check is skipped.
func FreeSpace(string) (uint64, bool) { return 0, false }
