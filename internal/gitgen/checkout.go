package gitgen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	git "github.com/go-git/go-git/v5"
)

// Checkout writes the files of the last commit into the repository's folder, as a clone
// would check them out, and, when the git tool is installed, git's index of them with its
// cache tree and the files' stat data (git read-tree, git update-index --refresh), as a
// clone has it. Files already there are left as they are.
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
	if _, err := exec.LookPath("git"); err != nil {
		return nil // without the tool the work tree is compared with the commit's trees
	}
	cmd := exec.Command("git", "read-tree", r.Commits[len(r.Commits)-1].String())
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git read-tree: %v: %s", err, out)
	}
	// read-tree leaves the entries' stat data empty; a clone's checkout records it, and
	// reqtrail trusts it as git status does (filestat.Trusted). Refreshing records it.
	cmd = exec.Command("git", "update-index", "-q", "--refresh")
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git update-index --refresh: %v: %s", err, out)
	}
	return nil
}
