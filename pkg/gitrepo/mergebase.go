package gitrepo

import (
	"container/heap"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

const (
	flagA = 1 << iota
	flagB
	flagStale
	flagResult
)

// commitQueue orders commits newest first by committer date, then by hash.
type commitQueue []*object.Commit

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	ti, tj := q[i].Committer.When, q[j].Committer.When
	if !ti.Equal(tj) {
		return ti.After(tj)
	}
	return q[i].Hash.String() < q[j].Hash.String()
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

// MergeBase returns the best common ancestor of a and b, as git merge-base does (when there
// are several, the newest). When the walk runs into the start of a shallow clone before it
// finds one, the error wraps ErrShallow and says to fetch more history.
func (r *Repo) MergeBase(a, b plumbing.Hash) (plumbing.Hash, error) {
	if a == b {
		return a, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	flags := map[plumbing.Hash]int{}
	var q commitQueue
	push := func(h plumbing.Hash, f int) error {
		c, err := r.commitLocked(h)
		if err != nil {
			return err
		}
		flags[h] |= f
		heap.Push(&q, c)
		return nil
	}
	if err := push(a, flagA); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := push(b, flagB); err != nil {
		return plumbing.ZeroHash, err
	}
	var results []*object.Commit
	boundary := false
	nonStale := func() bool {
		for _, c := range q {
			if flags[c.Hash]&flagStale == 0 {
				return true
			}
		}
		return false
	}
	for q.Len() > 0 && nonStale() {
		c := heap.Pop(&q).(*object.Commit)
		f := flags[c.Hash] & (flagA | flagB | flagStale)
		if f == flagA|flagB {
			if flags[c.Hash]&flagResult == 0 {
				flags[c.Hash] |= flagResult
				results = append(results, c)
			}
			f |= flagStale
		}
		if r.shallow[c.Hash] {
			boundary = true
			continue
		}
		for _, p := range c.ParentHashes {
			if flags[p]&f == f {
				continue
			}
			if _, seen := flags[p]; seen {
				flags[p] |= f
				// already queued or visited: re-queue so the new flags propagate.
				pc, err := r.commitLocked(p)
				if err != nil {
					boundary = true
					continue
				}
				heap.Push(&q, pc)
				continue
			}
			if err := push(p, f); err != nil {
				boundary = true
				delete(flags, p)
				continue
			}
		}
	}
	// Keep only results that are not ancestors of another result.
	var best []*object.Commit
	for _, c := range results {
		if flags[c.Hash]&flagStale != 0 && len(results) > 1 && r.reachableFromOtherLocked(c, results) {
			continue
		}
		best = append(best, c)
	}
	if len(best) == 0 {
		if boundary || r.Shallow() {
			return plumbing.ZeroHash, fmt.Errorf("%w: the merge base of %s and %s is not in this clone; %s",
				ErrShallow, a.String()[:7], b.String()[:7], FetchHint)
		}
		return plumbing.ZeroHash, fmt.Errorf("%w between %s and %s", ErrNoMergeBase, a.String()[:7], b.String()[:7])
	}
	pick := best[0]
	for _, c := range best[1:] {
		if c.Committer.When.After(pick.Committer.When) {
			pick = c
		}
	}
	return pick.Hash, nil
}

// reachableFromOtherLocked reports whether c is an ancestor of another commit of set.
func (r *Repo) reachableFromOtherLocked(c *object.Commit, set []*object.Commit) bool {
	for _, o := range set {
		if o.Hash == c.Hash {
			continue
		}
		seen := map[plumbing.Hash]bool{}
		stack := []plumbing.Hash{o.Hash}
		for len(stack) > 0 {
			h := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[h] {
				continue
			}
			seen[h] = true
			if h == c.Hash {
				return true
			}
			oc, err := r.commitLocked(h)
			if err != nil || r.shallow[h] || oc.Committer.When.Before(c.Committer.When) {
				continue
			}
			stack = append(stack, oc.ParentHashes...)
		}
	}
	return false
}
