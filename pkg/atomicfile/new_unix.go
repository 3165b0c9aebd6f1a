//go:build unix

package atomicfile

import (
	"io/fs"
	"syscall"
)

// WriteNew creates the file name with data, not synced; it fails with an error wrapping
// fs.ErrExist when anything is there (O_EXCL: a symbolic link is never followed). It costs
// three system calls — open, write, close on the raw descriptor — where an os.File adds an
// fstat, fcntl calls and a poller registration: a site writes 12,000 files at 10,000
// requirements, an import as many temporary ones. A file it could not write whole is
// removed.
func WriteNew(name string, data []byte, perm fs.FileMode) error {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, uint32(perm.Perm()))
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for rest := data; len(rest) > 0 && err == nil; {
		var n int
		n, err = syscall.Write(fd, rest)
		switch {
		case err == syscall.EINTR:
			err = nil
		case err == nil && n == 0:
			err = syscall.EIO
		case err == nil:
			rest = rest[n:]
		}
	}
	if cerr := syscall.Close(fd); err == nil && cerr != nil && cerr != syscall.EINTR {
		err = cerr
	}
	if err != nil {
		_ = syscall.Unlink(name)
		return &fs.PathError{Op: "write", Path: name, Err: err}
	}
	return nil
}
