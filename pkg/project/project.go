// Package project finds a project's root folder and its place in the git work tree.
package project

import (
	"os"
	"path/filepath"
)

// Root returns the project root for a command started in dir: the nearest folder from dir
// upward that holds reqtrail.yaml; failing that, the git work tree's top; failing that, dir.
// gitTop is the work tree's top ("" outside git).
func Root(dir string) (root, gitTop string, err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	if fi, err := os.Stat(dir); err != nil {
		return "", "", err
	} else if !fi.IsDir() {
		return "", "", &os.PathError{Op: "open", Path: dir, Err: errNotDir}
	}
	gitTop = GitTop(dir)
	for d := dir; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "reqtrail.yaml")); err == nil && fi.Mode().IsRegular() {
			return d, gitTop, nil
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if gitTop != "" {
		return gitTop, gitTop, nil
	}
	return dir, "", nil
}

type notDir struct{}

func (notDir) Error() string { return "not a directory" }

var errNotDir error = notDir{}

// GitTop returns the nearest folder from dir upward holding a .git folder or file, or "".
func GitTop(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Prefix returns root relative to gitTop with forward slashes ("" if equal or outside git).
func Prefix(root, gitTop string) string {
	if gitTop == "" {
		return ""
	}
	rel, err := filepath.Rel(gitTop, root)
	if err != nil || rel == "." {
		return ""
	}
	return filepath.ToSlash(rel)
}
