package author

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/ids"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// Draft is a record to create.
type Draft struct {
	Kind record.Kind
	// Dir is the sub-folder of the kind's folder, with forward slashes ("" for the folder).
	Dir string
	// ID is the id to create the record with; "" allocates the next free one.
	ID string
	// Front is the front matter mapping; its id key is set (or added first) by Create.
	Front *yaml.Node
	// Body is the Markdown body.
	Body string
	// Unfilled names required keys the draft leaves for the user to fill in (a new
	// acceptance's verdict; at any depth, e.g. each evaluation result's actual): their
	// "missing required key" findings do not stop the creation, and lint reports them until
	// they are filled.
	Unfilled []string
}

// Created is what Create wrote.
type Created struct {
	ID string
	// File is the record's path relative to the project root, with forward slashes.
	File string
	// Path is the file's path on disk.
	Path string
	// Warning is set when not every git branch could be read to choose the id; the id then
	// counts the work tree and the branches that could be read.
	Warning error
}

// SchemaError is returned when a draft would not pass its kind's schema; nothing is written.
type SchemaError struct {
	Kind     record.Kind
	Messages []string
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("the new %s would not pass the schema; nothing written:\n  %s", KindNoun(e.Kind), strings.Join(e.Messages, "\n  "))
}

// maxAttempts bounds how many ids Create tries when other writers take them first.
const maxAttempts = 20

// Create writes the draft d as a new record of the project loaded as r from the folder
// root: it refuses a reqtrail.yaml that does not load and a folder outside the kind's folder
// (see Folder); allocates the next free id, counting every git branch (ids.Next), unless d.ID
// is set; encodes the record canonically (Encode); parses it back and validates it against
// the schema; and creates the file atomically, never overwriting one. When another writer
// takes the id first, Create moves on to the next one.
func Create(root string, r *repo.Repo, d Draft) (*Created, error) {
	if err := ConfigError(r); err != nil {
		return nil, err
	}
	if d.Front == nil || d.Front.Kind != yaml.MappingNode {
		return nil, errors.New("the front matter of a new record must be a mapping")
	}
	dir, err := Folder(root, r, d.Kind, d.Dir)
	if err != nil {
		return nil, err
	}
	v, err := validator(r, d.Kind)
	if err != nil {
		return nil, err
	}
	res := &Created{}
	first := d.ID
	if first == "" {
		first, _, res.Warning = ids.Next(r, root, d.Kind)
	} else if other := r.ByID[first]; other != nil {
		return nil, fmt.Errorf("%s already exists (%s)", first, other.File)
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		id := first
		if d.ID == "" {
			id = bump(r, d.Kind, first, attempt)
			if r.ByID[id] != nil || onDisk(root, r.Config.Kinds[d.Kind].Dir, id) {
				continue
			}
		}
		data, err := Encode(d.Kind, withID(d.Front, id), d.Body)
		if err != nil {
			return nil, err
		}
		rel := path.Join(dir, id+".md")
		rec, perr := record.Parse(rel, d.Kind, data, v.Shape)
		if perr != nil {
			return nil, fmt.Errorf("the new %s would not parse (%d:%d: %s); nothing written", KindNoun(d.Kind), perr.Pos.Line, perr.Pos.Column, perr.Message)
		}
		if ds := withoutUnfilled(v.Diagnostics(rec), d.Unfilled); len(ds) > 0 {
			se := &SchemaError{Kind: d.Kind}
			for _, dg := range ds {
				se.Messages = append(se.Messages, dg.Message)
			}
			return nil, se
		}
		abs := filepath.Join(root, filepath.FromSlash(rel))
		err = atomicfile.CreateNew(abs, data, 0o644)
		if errors.Is(err, fs.ErrExist) {
			if d.ID != "" {
				return nil, fmt.Errorf("%s already exists; not overwriting it", rel)
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot create %s: %v", rel, unwrap(err))
		}
		res.ID, res.File, res.Path = id, rel, abs
		return res, nil
	}
	return nil, fmt.Errorf("could not create a %s: the next %d ids were taken while trying", KindNoun(d.Kind), maxAttempts)
}

// Rewrite replaces the file name, read earlier as old, with data, atomically and keeping its
// permissions; it refuses when the file is no longer a regular file or changed since it was
// read (the caller read it as old), and then leaves it as it is.
func Rewrite(name string, old, data []byte) error {
	fi, err := os.Lstat(name)
	if err != nil {
		return fmt.Errorf("cannot rewrite: %v", unwrap(err))
	}
	if !fi.Mode().IsRegular() {
		return errors.New("not rewritten: not a regular file")
	}
	cur, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("cannot rewrite: %v", unwrap(err))
	}
	if !bytes.Equal(cur, old) {
		return errors.New("not rewritten: the file changed since it was read; run the command again")
	}
	if err := writeFile(name, data, fi.Mode().Perm()); err != nil {
		return fmt.Errorf("not rewritten (the file is unchanged): %v", unwrap(err))
	}
	return nil
}

// onDisk reports whether a file named after id exists anywhere in the kind's folder (another
// writer may have created it, in another sub-folder, since the project was loaded).
func onDisk(root, kindDir, id string) bool {
	found := false
	_ = filepath.WalkDir(filepath.Join(root, filepath.FromSlash(kindDir)), func(p string, d fs.DirEntry, err error) error {
		if err != nil || found {
			return fs.SkipAll
		}
		if name := d.Name(); !d.IsDir() && strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, ".md"), ".yaml"), ".yml") == id {
			found = true
		}
		return nil
	})
	return found
}

// bump returns the id n numbers after id.
func bump(r *repo.Repo, kind record.Kind, id string, n int) string {
	if n == 0 {
		return id
	}
	num, ok := ids.Number(r.Config.Kinds[kind].Prefix, id)
	if !ok {
		return id
	}
	return r.Config.FormatID(kind, num+n)
}

// withID returns a copy of the mapping front (a deep one: Encode's callers own their trees)
// whose id key is id (added first when missing).
func withID(front *yaml.Node, id string) *yaml.Node {
	m := clone(front)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "id" {
			m.Content[i+1] = String(id)
			return m
		}
	}
	m.Content = append([]*yaml.Node{String("id"), String(id)}, m.Content...)
	return m
}

// withoutUnfilled drops the findings of required keys the draft deliberately leaves unfilled.
func withoutUnfilled(ds []diag.Diagnostic, unfilled []string) []diag.Diagnostic {
	if len(unfilled) == 0 {
		return ds
	}
	out := ds[:0]
	for _, d := range ds {
		if !slices.ContainsFunc(unfilled, func(k string) bool {
			m := `missing required key "` + k + `"`
			return d.Message == m || strings.HasSuffix(d.Message, ": "+m)
		}) {
			out = append(out, d)
		}
	}
	return out
}
