// Package gittest builds real git repositories with the git tool for tests: fixed author and
// commit dates one second apart, so hashes and histories are reproducible.
package gittest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Author is the name every commit made here carries.
const Author = "Grace Hopper"

// Repo is a git repository in a temporary folder.
type Repo struct {
	T    testing.TB
	Dir  string
	Tick int
}

// New makes an empty repository on branch main; the test is skipped without the git tool.
func New(t testing.TB) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git tool not installed")
	}
	r := &Repo{T: t, Dir: t.TempDir()}
	r.Git("init", "-q", "-b", "main")
	return r
}

// Git runs git in the repository and returns its trimmed output; failure fails the test.
func (r *Repo) Git(args ...string) string {
	r.T.Helper()
	return Run(r.T, r.Dir, &r.Tick, args...)
}

// Run runs git in dir with the fixed identity and the date of *tick (advanced by one).
func Run(t testing.TB, dir string, tick *int, args ...string) string {
	t.Helper()
	*tick++
	date := fmt.Sprintf("2024-03-01T10:%02d:%02dZ", *tick/60%60, *tick%60)
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME="+Author, "GIT_AUTHOR_EMAIL=grace@example.com",
		"GIT_COMMITTER_NAME="+Author, "GIT_COMMITTER_EMAIL=grace@example.com",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date,
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Write writes a file (slash path) in the work tree, making its folders.
func (r *Repo) Write(name, content string) {
	r.T.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.T.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.T.Fatal(err)
	}
}

// Remove deletes a file of the work tree.
func (r *Repo) Remove(name string) {
	r.T.Helper()
	if err := os.Remove(filepath.Join(r.Dir, filepath.FromSlash(name))); err != nil {
		r.T.Fatal(err)
	}
}

// Commit commits everything in the work tree and returns the new commit's hash.
func (r *Repo) Commit(msg string) string {
	r.T.Helper()
	r.Git("add", "-A")
	r.Git("commit", "-q", "--allow-empty", "-m", msg)
	return r.Git("rev-parse", "HEAD")
}
