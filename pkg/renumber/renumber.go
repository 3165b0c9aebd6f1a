// Package renumber gives a record a new id (SPEC §6, `reqtrail renumber`): it plans the
// renamed file, the rewritten id, every reference to it in other records, and the citations
// in code and tests, as byte-level edits that keep comments, layout and line endings.
package renumber

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// Edit is one file the renumbering rewrites.
type Edit struct {
	// File is the path relative to the project root (slash-separated); NewFile differs from
	// it for the renumbered record itself, which is renamed.
	File, NewFile string
	// Record is the record the file holds (nil for a code or test file).
	Record *record.Record
	// Data is the file's new content.
	Data []byte
	// Fields lists what was rewritten: field paths in records, "line N" in code.
	Fields []string
}

// Plan is everything a renumbering changes.
type Plan struct {
	Old, New string
	Kind     record.Kind
	// Records holds the renumbered record first, then every record that refers to it.
	Records []Edit
	// Citations are the citations of the old id in code and tests; Code holds the rewrite of
	// their files (applied only with --code).
	Citations []citation.Citation
	Code      []Edit
}

// Make plans renumbering the record old of r (loaded from a work tree whose files read
// through read) as newID. citations are the citations found in the trace: paths.
func Make(r *repo.Repo, old, newID string, cites []citation.Citation, read func(string) ([]byte, error)) (*Plan, error) {
	rec := r.ByID[old]
	if rec == nil {
		return nil, fmt.Errorf("no record %s", old)
	}
	if !rec.Parsed() {
		return nil, fmt.Errorf("%s does not parse; fix it first", rec.File)
	}
	if !r.Config.ValidID(rec.Kind, newID) {
		k := r.Config.Kinds[rec.Kind]
		return nil, fmt.Errorf("%s is not an id of a %s (want %s-%s)", newID, rec.Kind, k.Prefix, strings.Repeat("0", k.Digits))
	}
	if other := r.ByID[newID]; other != nil {
		return nil, fmt.Errorf("%s already exists (%s)", newID, other.File)
	}
	p := &Plan{Old: old, New: newID, Kind: rec.Kind}

	// The record itself: its id, and the file name.
	own, err := rewriteRecord(rec, old, newID, true)
	if err != nil {
		return nil, err
	}
	dir, base := path.Split(rec.File)
	ext := path.Ext(base)
	own.NewFile = dir + newID + ext
	if strings.TrimSuffix(base, ext) != old {
		own.NewFile = rec.File // a file not named after its id keeps its name
	}
	p.Records = append(p.Records, own)

	for _, x := range r.Records {
		if x == rec || !x.Parsed() {
			continue
		}
		if !slices.ContainsFunc(x.Refs(), func(ref record.Ref) bool { return ref.ID == old }) {
			continue
		}
		e, err := rewriteRecord(x, old, newID, false)
		if err != nil {
			return nil, err
		}
		p.Records = append(p.Records, e)
	}

	// Citations in code and tests, grouped by file.
	for _, c := range cites {
		if c.ID == old {
			p.Citations = append(p.Citations, c)
		}
	}
	byFile := map[string][]citation.Citation{}
	var files []string
	for _, c := range p.Citations {
		if byFile[c.File()] == nil {
			files = append(files, c.File())
		}
		byFile[c.File()] = append(byFile[c.File()], c)
	}
	for _, f := range files {
		data, err := read(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		e, err := rewriteCode(f, data, byFile[f], old, newID)
		if err != nil {
			return nil, err
		}
		p.Code = append(p.Code, e)
	}
	return p, nil
}

// span is a byte range to replace.
type span struct {
	start, end int
	text       string
	field      string
}

// rewriteRecord replaces old by newID in rec's id (when self) and in every reference to old.
func rewriteRecord(rec *record.Record, old, newID string, self bool) (Edit, error) {
	lines := pos.NewLines(rec.Raw)
	var spans []span
	at := func(r pos.Range, field string) error {
		start := lines.Offset(r.Start.Line, r.Start.Column)
		if start < 0 || start > len(rec.Raw) {
			return fmt.Errorf("%s: cannot locate %s at %d:%d", rec.File, field, r.Start.Line, r.Start.Column)
		}
		// The scalar as written, possibly quoted: the id is the first occurrence on its line.
		end := bytes.IndexByte(rec.Raw[start:], '\n')
		if end < 0 {
			end = len(rec.Raw) - start
		}
		i := bytes.Index(rec.Raw[start:start+end], []byte(old))
		if i < 0 {
			return fmt.Errorf("%s:%d: %s is not written on its line as %s; edit it by hand", rec.File, r.Start.Line, field, old)
		}
		spans = append(spans, span{start + i, start + i + len(old), newID, field})
		return nil
	}
	if self {
		if err := at(rec.RangeOf("id"), "id"); err != nil {
			return Edit{}, err
		}
	}
	for _, ref := range rec.Refs() {
		if ref.ID != old {
			continue
		}
		if err := at(ref.Range, ref.Field()); err != nil {
			return Edit{}, err
		}
	}
	data, fields := apply(rec.Raw, spans)
	if err := verify(rec, data, old, newID, self); err != nil {
		return Edit{}, err
	}
	return Edit{File: rec.File, NewFile: rec.File, Record: rec, Data: data, Fields: fields}, nil
}

// verify checks that data reads back as rec with only the id changed where planned.
func verify(rec *record.Record, data []byte, old, newID string, self bool) error {
	got, perr := record.Parse(rec.File, rec.Kind, data, nil)
	if perr != nil {
		return fmt.Errorf("%s: renumbering would break the file (%s); nothing was changed (please report this)", rec.File, perr.Message)
	}
	if got.Body != rec.Body {
		return fmt.Errorf("%s: renumbering would change the body; nothing was changed (please report this)", rec.File)
	}
	if self && got.ID != newID {
		return fmt.Errorf("%s: the id did not become %s; edit it by hand", rec.File, newID)
	}
	for _, ref := range got.Refs() {
		if ref.ID == old {
			return fmt.Errorf("%s: %s still names %s; edit it by hand", rec.File, ref.Field(), old)
		}
	}
	return nil
}

func apply(raw []byte, spans []span) ([]byte, []string) {
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var out bytes.Buffer
	var fields []string
	last := 0
	for _, s := range spans {
		if s.start < last {
			continue // the same place named twice
		}
		out.Write(raw[last:s.start])
		out.WriteString(s.text)
		last = s.end
		fields = append(fields, s.field)
	}
	out.Write(raw[last:])
	return out.Bytes(), fields
}

// rewriteCode replaces each citation of old in a code file by newID, in the form it was
// written (REQ_0001 stays with underscores).
func rewriteCode(file string, data []byte, cites []citation.Citation, old, newID string) (Edit, error) {
	lines := pos.NewLines(data)
	var spans []span
	under := func(s string) string { return strings.ReplaceAll(s, "-", "_") }
	for _, c := range cites {
		start := lines.Offset(c.Range.Start.Line, c.Range.Start.Column)
		if start < 0 || start+len(old) > len(data) {
			return Edit{}, fmt.Errorf("%s:%d: cannot locate the citation", file, c.Line())
		}
		written := string(data[start : start+len(old)])
		repl := newID
		switch written {
		case old:
		case under(old):
			repl = under(newID)
		default:
			return Edit{}, fmt.Errorf("%s:%d: the citation is not written as %s; edit it by hand", file, c.Line(), old)
		}
		spans = append(spans, span{start, start + len(old), repl, fmt.Sprintf("line %d", c.Line())})
	}
	out, fields := apply(data, spans)
	return Edit{File: file, NewFile: file, Data: out, Fields: fields}, nil
}
