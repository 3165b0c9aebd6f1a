package site

import (
	"io/fs"
	"os"
	"strings"
)

// DirFS returns os.DirFS(root) whose ReadFile reads a file on the raw descriptor (readFile):
// what `site` loads the records of the working tree from.
func DirFS(root string) fs.FS {
	return readFileFS{dirFS: os.DirFS(root).(dirFS), root: root}
}

// readFileFS is an os.DirFS with a ReadFile of fewer system calls.
type readFileFS struct {
	dirFS
	root string
}

// ReadFile implements fs.ReadFileFS as os.DirFS does, errors included.
func (f readFileFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) || strings.IndexByte(name, 0) >= 0 || os.PathSeparator != '/' && strings.ContainsRune(name, os.PathSeparator) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	full := f.root
	if full == "" || !os.IsPathSeparator(full[len(full)-1]) {
		full += string(os.PathSeparator)
	}
	data, err := readFile(full + strings.ReplaceAll(name, "/", string(os.PathSeparator)))
	if pe, ok := err.(*fs.PathError); ok {
		pe.Path = name
	}
	return data, err
}
