//go:build !linux

package atomicfile

import (
	"errors"
	"io/fs"
	"os"
)

// syncFiles makes the files durable, one fsync each.
func syncFiles(files []string) error {
	for _, name := range files {
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// writeNewTemp writes data, not synced, to a new temporary file beside name.
func writeNewTemp(name string, data []byte, perm fs.FileMode) (string, error) {
	return writeTempSync(name, data, perm, false)
}

// renameNoReplace is not available here: Link falls back to a hard link.
func renameNoReplace(oldname, newname string) error {
	return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: errors.ErrUnsupported}
}
