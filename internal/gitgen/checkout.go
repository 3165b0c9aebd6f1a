package gitgen

import (
	"os"
	"path/filepath"

	git "github.com/go-git/go-git/v5"
)

// Checkout writes the files of the last commit into the repository's folder, as a clone
// would check them out (the index is not written: reqtrail does not read it). Files already
// there are left as they are.
func (r *Repo) Checkout() error {
	repo, err := git.PlainOpen(r.Dir)
	if err != nil {
		return err
	}
	c, err := repo.CommitObject(r.Commits[len(r.Commits)-1])
	if err != nil {
		return err
	}
	files, err := c.Files()
	if err != nil {
		return err
	}
	defer files.Close()
	for {
		f, err := files.Next()
		if err != nil {
			break
		}
		p := filepath.Join(r.Dir, filepath.FromSlash(f.Name))
		if _, err := os.Stat(p); err == nil {
			continue
		}
		content, err := f.Contents()
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}
