//go:build !unix

package atomicfile

import (
	"io/fs"
	"os"
)

// WriteNew creates the file name with data, not synced; it fails with an error wrapping
// fs.ErrExist when anything is there. A file it could not write whole is removed.
func WriteNew(name string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(name)
	}
	return werr
}
