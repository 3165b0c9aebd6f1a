// Package dirfs is os.DirFS with a ReadFile of fewer system calls, for the loaders that read
// every record file of a working tree.
package dirfs

import (
	"io/fs"
	"os"
	"strings"

	"github.com/reqtrail/reqtrail/internal/filestat"
)

// FS is what os.DirFS implements.
type FS interface {
	fs.ReadDirFS
	fs.ReadFileFS
	fs.StatFS
	fs.ReadLinkFS
}

// New returns os.DirFS(root) whose ReadFile reads a file on the raw descriptor (readFile):
// what the commands load the records of the working tree from.
func New(root string) FS {
	return readFileFS{FS: os.DirFS(root).(FS), root: root}
}

// readFileFS is an os.DirFS with a ReadFile of fewer system calls.
type readFileFS struct {
	FS
	root string
}

// ReadFile implements fs.ReadFileFS as os.DirFS does, errors included.
func (f readFileFS) ReadFile(name string) ([]byte, error) {
	data, _, err := f.read(name, "readfile", -1, nil)
	return data, err
}

// ReadFileMax is ReadFile reading at most max+1 bytes: a result longer than max says the
// file is larger than max, without reading a huge file whole (the loader's size limit, with
// no stat of its own per file).
func (f readFileFS) ReadFileMax(name string, max int) ([]byte, error) {
	data, _, err := f.read(name, "readfile", max, nil)
	return data, err
}

// ReadFileStat is ReadFileMax also giving the file's stat data as git's index keeps it, read
// by the same fstat; ok is false where the platform gives none.
func (f readFileFS) ReadFileStat(name string, max int) (data []byte, st filestat.Stat, ok bool, err error) {
	data, ok, err = f.read(name, "readfile", max, &st)
	return data, st, ok, err
}

func (f readFileFS) read(name, op string, limit int, stat *filestat.Stat) ([]byte, bool, error) {
	if !fs.ValidPath(name) || strings.IndexByte(name, 0) >= 0 || os.PathSeparator != '/' && strings.ContainsRune(name, os.PathSeparator) {
		return nil, false, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	full := f.root
	if full == "" || !os.IsPathSeparator(full[len(full)-1]) {
		full += string(os.PathSeparator)
	}
	data, ok, err := readFile(full+strings.ReplaceAll(name, "/", string(os.PathSeparator)), limit, stat)
	if pe, isPE := err.(*fs.PathError); isPE {
		pe.Path = name
	}
	return data, ok, err
}
