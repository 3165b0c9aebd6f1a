package repo

import (
	"bytes"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// BlobHasher is implemented by sources that know the git object id of a file's content
// without reading it (a git revision's tree); the loader uses it to take over unchanged
// records from Options.Reuse without reading or parsing them.
type BlobHasher interface {
	BlobHash(name string) (string, error)
}

// reuser takes over records of an earlier load whose file has the same path, kind and bytes
// (`check` loads head, then the merge base, which differ in a handful of files).
type reuser struct {
	prev  *Repo                        // its blob ids, when its loader computed them, save hashing the bytes again
	diags map[string][]diag.Diagnostic // prev's findings by file
	// sorted is set when prev's records are in file order (as the loader leaves them): a
	// file is then looked up by binary search, else in byFile, built at the first lookup.
	sorted bool
	byFile func() map[string]*record.Record
}

// record returns prev's record of file that has its bytes, or nil.
func (u *reuser) record(file string) *record.Record {
	if !u.sorted {
		return u.byFile()[file]
	}
	recs := u.prev.Records
	i, found := slices.BinarySearchFunc(recs, file, func(r *record.Record, f string) int { return strings.Compare(r.File, f) })
	if !found || recs[i].Raw == nil {
		return nil
	}
	return recs[i]
}

// sameShape reports whether records read under cfg are read and validated exactly as prev's
// were: the same kinds, fields and values.
func sameShape(prev *Repo, cfg *config.Config) bool {
	return prev != nil && SameShape(prev.Config, cfg)
}

// SameShape reports whether records are found, read and validated under configuration a
// exactly as under b: the same kinds, fields and values.
func SameShape(a, b *config.Config) bool {
	return a != nil && b != nil && reflect.DeepEqual(a.Kinds, b.Kinds) &&
		reflect.DeepEqual(a.Fields, b.Fields) && reflect.DeepEqual(a.Values, b.Values)
}

func newReuser(prev *Repo, cfg *config.Config) *reuser {
	if !sameShape(prev, cfg) {
		return nil
	}
	u := &reuser{prev: prev, diags: map[string][]diag.Diagnostic{}}
	u.sorted = slices.IsSortedFunc(prev.Records, func(a, b *record.Record) int { return strings.Compare(a.File, b.File) })
	u.byFile = sync.OnceValue(func() map[string]*record.Record {
		m := make(map[string]*record.Record, len(prev.Records))
		for _, rec := range prev.Records {
			if rec.Raw != nil {
				m[rec.File] = rec
			}
		}
		return m
	})
	for _, d := range prev.Diags {
		u.diags[d.File()] = append(u.diags[d.File()], d)
	}
	return u
}

// take returns the earlier record for file when its content is unchanged; data is the
// file's content when the caller had to read it (nil otherwise).
func (u *reuser) take(fsys fs.FS, j job) (rec *record.Record, ds []diag.Diagnostic, data []byte, ok bool) {
	if u == nil {
		return nil, nil, nil, false
	}
	file, kind := j.file, j.kind
	prev := u.record(file)
	if prev == nil || prev.Kind != kind {
		return nil, nil, nil, false
	}
	if bh, isHasher := fsys.(BlobHasher); isHasher {
		id, listed := j.blob, j.listed
		if !listed {
			if id, listed = hashedBlob(bh, file); !listed {
				return nil, nil, nil, false
			}
		}
		if id != BlobOf(prev) {
			return nil, nil, nil, false
		}
		return prev, u.diags[file], nil, true
	}
	data, err := readRecord(fsys, file)
	if err != nil || !bytes.Equal(data, prev.Raw) {
		return nil, nil, data, false
	}
	return prev, u.diags[file], data, true
}
