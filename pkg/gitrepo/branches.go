package gitrepo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Branch is a local branch or a remote-tracking branch and the commit at its tip.
type Branch struct {
	// Name is the short name: "main", "feature/x", or "origin/main" for a remote-tracking one.
	Name   string
	Remote bool
	Hash   plumbing.Hash
}

// Branches lists every local branch (refs/heads/*) and remote-tracking branch
// (refs/remotes/*, symbolic ones such as origin/HEAD left out), sorted by name, local ones
// first. A repository with no branches gives an empty list.
func (r *Repo) Branches() ([]Branch, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	iter, err := r.r.References()
	if err != nil {
		return nil, fmt.Errorf("cannot list the branches: %w", err)
	}
	defer iter.Close()
	var out []Branch
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() != plumbing.HashReference {
			return nil
		}
		n := ref.Name()
		switch {
		case n.IsBranch():
			out = append(out, Branch{Name: n.Short(), Hash: ref.Hash()})
		case n.IsRemote():
			if strings.HasSuffix(n.String(), "/HEAD") {
				return nil
			}
			out = append(out, Branch{Name: n.Short(), Remote: true, Hash: ref.Hash()})
		}
		return nil
	})
	if err != nil && err != storer.ErrStop {
		return nil, fmt.Errorf("cannot list the branches: %w", err)
	}
	slices.SortFunc(out, func(a, b Branch) int {
		if a.Remote != b.Remote {
			if a.Remote {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}
