package atomicfile

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// syncFiles makes the files durable with one syncfs of the file system that holds them
// (one call instead of an fsync per file).
func syncFiles(files []string) error {
	if len(files) == 0 {
		return nil
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

// writeNewTemp writes data, not synced, to a new temporary file beside name (WriteNew: three
// system calls) and returns its name.
func writeNewTemp(name string, data []byte, perm fs.FileMode) (string, error) {
	dir, base := filepath.Split(name)
	for range 1000 {
		tmp := dir + "." + base + ".tmp" + strconv.FormatUint(uint64(rand.Uint32()), 10)
		err := WriteNew(tmp, data, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		return tmp, nil
	}
	return "", &fs.PathError{Op: "createtemp", Path: name, Err: fs.ErrExist}
}

// renameNoReplace renames oldname to newname unless newname exists (an error wrapping
// fs.ErrExist): one atomic call. Where the file system cannot (an error wrapping
// errors.ErrUnsupported), nothing was done.
func renameNoReplace(oldname, newname string) error {
	err := unix.Renameat2(unix.AT_FDCWD, oldname, unix.AT_FDCWD, newname, unix.RENAME_NOREPLACE)
	for err == unix.EINTR {
		err = unix.Renameat2(unix.AT_FDCWD, oldname, unix.AT_FDCWD, newname, unix.RENAME_NOREPLACE)
	}
	switch err {
	case nil:
		return nil
	case unix.EEXIST:
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: fs.ErrExist}
	case unix.EINVAL, unix.ENOSYS, unix.ENOTSUP:
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: errors.ErrUnsupported}
	}
	return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: err}
}
