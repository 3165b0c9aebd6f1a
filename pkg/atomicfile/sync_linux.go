package atomicfile

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

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

// writeNewTemp writes data, not synced, to a new temporary file beside name and returns its
// name. It costs three system calls (open, write, close): an import writes thousands of
// files, and os.OpenFile adds a stat, fcntls and a poller registration to each.
func writeNewTemp(name string, data []byte, perm fs.FileMode) (string, error) {
	dir, base := filepath.Split(name)
	for range 1000 {
		tmp := dir + "." + base + ".tmp" + strconv.FormatUint(uint64(rand.Uint32()), 10)
		fd, err := syscall.Open(tmp, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, uint32(perm.Perm()))
		for err == syscall.EINTR {
			fd, err = syscall.Open(tmp, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, uint32(perm.Perm()))
		}
		if err == syscall.EEXIST {
			continue
		}
		if err != nil {
			return "", &fs.PathError{Op: "open", Path: tmp, Err: err}
		}
		werr := writeAll(fd, data)
		if cerr := syscall.Close(fd); werr == nil && cerr != nil && cerr != syscall.EINTR {
			werr = cerr
		}
		if werr != nil {
			syscall.Unlink(tmp)
			return "", &fs.PathError{Op: "write", Path: tmp, Err: werr}
		}
		return tmp, nil
	}
	return "", &fs.PathError{Op: "createtemp", Path: name, Err: fs.ErrExist}
}

func writeAll(fd int, data []byte) error {
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return syscall.EIO
		}
		data = data[n:]
	}
	return nil
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
