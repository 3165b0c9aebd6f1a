// Package ids allocates record ids: the next free number of a kind, counting the ids used in
// the work tree and on every local and remote-tracking git branch, so that two people who
// branch from the same commit and create a record do not pick the same id once one of them
// has pushed.
package ids

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/project"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// Used is the set of numbers in use for one kind, with where each highest one was seen.
type Used struct {
	prefix string
	max    int
	// MaxWhere says where the highest number was found: a file, or "branch origin/x".
	MaxWhere string
	// Branches is how many branches were read.
	Branches int
}

// Max returns the highest number in use (0 when none is).
func (u *Used) Max() int { return u.max }

func (u *Used) add(s, where string) {
	if n, ok := Number(u.prefix, s); ok && n > u.max {
		u.max, u.MaxWhere = n, where
	}
}

// Number returns the number of an id written "<prefix>-<digits>" (any number of digits, so
// ill-padded ids such as REQ-1 still count as used).
func Number(prefix, id string) (int, bool) {
	num, ok := strings.CutPrefix(id, prefix+"-")
	if !ok || num == "" || len(num) > 9 {
		return 0, false
	}
	for _, c := range num {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(num)
	return n, err == nil
}

// Next returns the next free id of kind for the project loaded as r from the folder root:
// one more than the highest number of that kind used by a record file or an id referenced by
// any record of the work tree, or by a record file's name in the tree of any local or
// remote-tracking branch. Numbers are never reused, and gaps are not filled (a gap may be an
// id deleted from the history). A project outside git counts the work tree only. The error
// reports a repository that could not be read; the id is then based on what could be.
func Next(r *repo.Repo, root string, kind record.Kind) (string, *Used, error) {
	u, err := Scan(r, root, kind)
	return r.Config.FormatID(kind, u.max+1), u, err
}

// Scan collects the numbers of kind in use (see Next).
func Scan(r *repo.Repo, root string, kind record.Kind) (*Used, error) {
	k := r.Config.Kinds[kind]
	u := &Used{prefix: k.Prefix}
	for _, rec := range r.Records {
		if rec.Kind == kind {
			id, _ := record.FileID(rec.File)
			u.add(id, rec.File)
			u.add(rec.ID, rec.File)
		}
		if fields := rec.Fields(); fields != nil {
			walkStrings(fields, func(s string) { u.add(s, rec.File) })
		}
	}
	if root == "" {
		return u, nil
	}
	g, err := gitrepo.Open(root)
	if errors.Is(err, gitrepo.ErrNotRepository) {
		return u, nil
	}
	if err != nil {
		return u, err
	}
	defer g.Close()
	branches, err := g.Branches()
	if err != nil {
		return u, err
	}
	prefix := project.Prefix(root, g.Top())
	done := map[plumbing.Hash]bool{}
	for _, b := range branches {
		if done[b.Hash] {
			continue
		}
		done[b.Hash] = true
		u.Branches++
		fsys, err := g.FS(b.Hash, prefix)
		if errors.Is(err, gitrepo.ErrNoFolder) {
			continue
		}
		if err != nil {
			return u, fmt.Errorf("branch %s: %w", b.Name, err)
		}
		where := "branch " + b.Name
		err = fs.WalkDir(fsys, k.Dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == k.Dir && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipAll
				}
				return err
			}
			if d.IsDir() {
				return nil
			}
			if id, ok := record.FileID(d.Name()); ok {
				u.add(id, where+": "+path.Clean(p))
			}
			return nil
		})
		if err != nil {
			return u, fmt.Errorf("branch %s: %w", b.Name, err)
		}
	}
	return u, nil
}

func walkStrings(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case map[string]any:
		for _, e := range v {
			walkStrings(e, f)
		}
	case []any:
		for _, e := range v {
			walkStrings(e, f)
		}
	}
}
