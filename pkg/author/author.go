// Package author is reqtrail's one write path for records: Encode writes a record in
// canonical form with one quoting rule, Create writes one new record under the next free id,
// and a Plan stages many creations and updates over an in-memory overlay of the work tree,
// checks them with the full lint, and applies them all or nothing.
//
// Every command that writes records (new, accept, init, fmt, and the importers) goes through
// this package; see the Plan example for the importers' use.
package author

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/schema"
)

// ConfigError returns an error naming every problem of the project's reqtrail.yaml found
// when r was loaded, or nil when it loaded cleanly. Commands that write records refuse to run
// on a configuration that does not load rather than write under the defaults.
func ConfigError(r *repo.Repo) error {
	var msgs []string
	for _, d := range r.Diags {
		if d.File() == config.FileName && d.Severity == diag.Error {
			p := d.Pos()
			msgs = append(msgs, fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, d.Message))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("%s does not load, so nothing was written (fix it first; reqtrail lint shows every problem):\n  %s",
		config.FileName, strings.Join(msgs, "\n  "))
}

// KindNoun names a kind of record for messages: "requirement", "change request", …
func KindNoun(k record.Kind) string {
	switch k {
	case record.ChangeKind:
		return "change request"
	case record.AcceptanceKind:
		return "acceptance record"
	case record.FeedbackKind:
		return "feedback record"
	}
	return string(k)
}

// validator returns the schema validator of kind with the project's fields: and values:.
func validator(r *repo.Repo, kind record.Kind) (*schema.Validator, error) {
	return r.Config.Validator(kind) // fields: and values: applied
}

// Folder returns the slash path, relative to the project root, of the folder where records
// of kind in sub-folder sub go (sub is relative to the kind's folder; "" for the folder
// itself). It refuses a sub-folder that is absolute, climbs out with "..", or passes through a
// symbolic link or a file: a record must land in a folder the loader reads, inside the
// project.
func Folder(root string, r *repo.Repo, kind record.Kind, sub string) (string, error) {
	rel, _, err := folder(root, r, kind, sub)
	return rel, err
}

// folder is Folder, also telling whether the folder exists.
func folder(root string, r *repo.Repo, kind record.Kind, sub string) (rel string, exists bool, err error) {
	k, ok := r.Config.Kinds[kind]
	if !ok {
		return "", false, fmt.Errorf("unknown kind of record %q", kind)
	}
	sub = filepath.ToSlash(sub)
	if path.IsAbs(sub) || filepath.IsAbs(sub) || filepath.VolumeName(sub) != "" {
		return "", false, fmt.Errorf("the folder %q must be inside %s/ (no leading /, no ..)", sub, k.Dir)
	}
	sub = strings.TrimSuffix(sub, "/")
	if sub != "" && !fs.ValidPath(sub) {
		return "", false, fmt.Errorf("the folder %q must be inside %s/ (no leading /, no ..)", sub, k.Dir)
	}
	rel = path.Join(k.Dir, sub)
	// Every folder on the way that exists must be a real folder, not a link: the loader does
	// not follow links, and a link could lead out of the project.
	cur := root
	for _, part := range strings.Split(rel, "/") {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return rel, false, nil
		}
		if err != nil {
			return "", false, fmt.Errorf("cannot use %s: %v", rel, unwrap(err))
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return "", false, fmt.Errorf("%s is a symbolic link; records are written only into real folders inside the project", relTo(root, cur))
		}
		if !fi.IsDir() {
			return "", false, fmt.Errorf("%s is not a folder", relTo(root, cur))
		}
	}
	return rel, true, nil
}

func relTo(root, p string) string {
	if rel, err := filepath.Rel(root, p); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(p)
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// DisplayPath is how a command prints the path of a file it wrote: relative to wd when the
// file is below it, else absolute; always with forward slashes.
func DisplayPath(wd, p string) string {
	if wd != "" {
		if rel, err := filepath.Rel(wd, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(p)
}
