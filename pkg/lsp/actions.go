package lsp

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pin"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
)

// codeAction offers fixes for the findings in the requested range. Every fix is a
// WorkspaceEdit for the client to apply: the server never writes a file.
func (s *Server) codeAction(params json.RawMessage) (any, *rpcError) {
	var p codeActionParams
	if rerr := decode(params, &p); rerr != nil {
		return nil, rerr
	}
	v := s.view(p.TextDocument.URI)
	actions := []codeAction{}
	if v.file == "" {
		return actions, nil
	}
	// The snapshot's findings count only when it was built from the text the client sees.
	rec := v.snap.byFile[v.file]
	if rec != nil && v.doc != nil && string(rec.Raw) != v.t.s {
		return actions, nil
	}
	seen := map[string]bool{}
	for _, d := range v.snap.diags[v.file] {
		ld := toLSP(d, v.t, v.enc, v.snap.repo.Config)
		if ld.Range.End.Line < p.Range.Start.Line || ld.Range.Start.Line > p.Range.End.Line {
			continue
		}
		for _, a := range v.fixes(d, ld, rec) {
			if !seen[a.Title] {
				seen[a.Title] = true
				actions = append(actions, a)
			}
		}
	}
	return actions, nil
}

func (v view) fixes(d diag.Diagnostic, ld lspDiagnostic, rec *record.Record) []codeAction {
	cfg := v.snap.repo.Config
	l := v.t.line(d.Range.Start.Line - 1)
	quick := func(title string, preferred bool, changes ...documentChange) codeAction {
		return codeAction{Title: title, Kind: "quickfix", Diagnostics: []lspDiagnostic{ld}, IsPreferred: preferred,
			Edit: &workspaceEdit{DocumentChanges: changes}}
	}
	var out []codeAction
	switch d.Rule {
	case "citation-unknown", "ref-unknown":
		for _, h := range idsInLine(cfg, l) {
			if h.Kind != record.RequirementKind || v.snap.repo.ByID[h.ID] != nil {
				continue
			}
			file := path.Join(cfg.Kinds[record.RequirementKind].Dir, h.ID+".md")
			if v.exists(file) {
				continue
			}
			title := fmt.Sprintf("New requirement cited in %s", v.file)
			content := fmt.Sprintf("---\nid: %s\ntitle: %s\nstatus: new\n---\n\n<!-- What is needed, by whom, and why. -->\n", h.ID, author.Quote(title))
			out = append(out, quick("Create requirement "+h.ID+" ("+file+")", true, v.createFile(file, content)...))
		}
	case "id-filename":
		if rec == nil || rec.ID == "" {
			break
		}
		ext := path.Ext(rec.File)
		if cfg.ValidID(rec.Kind, rec.ID) && !strings.ContainsAny(rec.ID, `/\`) {
			target := path.Join(path.Dir(rec.File), rec.ID+ext)
			if !v.exists(target) {
				out = append(out, quick("Rename the file to "+rec.ID+ext, true, documentChange{Kind: "rename",
					OldURI: fileURI(v.root, rec.File), NewURI: fileURI(v.root, target)}))
			}
		}
		stem := strings.TrimSuffix(path.Base(rec.File), ext)
		if cfg.ValidID(rec.Kind, stem) && v.snap.repo.ByID[stem] == nil {
			r := toRange(v.t, rec.RangeOf("id"), v.enc, nil)
			out = append(out, quick("Change the id to "+stem+" (the file name)", false, v.editDoc(textEdit{Range: r, NewText: stem})))
		}
	case "link-suspect", "link-unpinned":
		if a, ok := v.reviewLink(d, rec, quick); ok {
			out = append(out, a)
		}
	case "acceptance-stale":
		if rec == nil || rec.Acc == nil {
			break
		}
		if a, ok := v.draftAcceptance(rec, quick); ok {
			out = append(out, a)
		}
		// No re-pinning of the old record: a customer's signature is never moved onto text
		// the customer did not see (SPEC §6 rule 6); the new record above supersedes it.
	}
	return out
}

// reviewLink is reqtrail review for the one link d reports: a suspect link is re-pinned to
// its target's current fingerprint (the author has reviewed the requirement against it), an
// unpinned one is pinned. The edit is pin's (fingerprint values only, verified by parsing
// back), narrowed to the bytes that change.
func (v view) reviewLink(d diag.Diagnostic, rec *record.Record, quick func(string, bool, ...documentChange) codeAction) (codeAction, bool) {
	if rec == nil || rec.Req == nil || string(rec.Raw) != v.t.s {
		return codeAction{}, false
	}
	var shape *record.Shape
	if val, err := schema.For(string(record.RequirementKind), v.snap.repo.Config.Fields[record.RequirementKind]); err == nil {
		shape = val.Shape
	}
	suspect := d.Rule == "link-suspect"
	var chosen *pin.Link
	for _, l := range pin.Links(v.snap.repo, rec) {
		at := rec.RangeOf(l.Path...)
		if suspect {
			at = rec.RangeOf(l.Pin...)
		}
		if at.Start == d.Range.Start && (suspect && l.Suspect() || !suspect && l.Fingerprint == "" && l.Target != nil) {
			chosen = &l
			break
		}
	}
	if chosen == nil {
		return codeAction{}, false
	}
	out, changes, err := pin.EditLinks(v.snap.repo, rec, shape, func(l pin.Link) bool { return slices.Equal(l.Path, chosen.Path) })
	if err != nil || len(changes) == 0 {
		return codeAction{}, false
	}
	title := fmt.Sprintf("Reviewed: re-pin the %s to its current fingerprint %s", chosen.Describe(), changes[0].New)
	if !suspect {
		title = fmt.Sprintf("Pin the %s to its fingerprint %s", chosen.Describe(), changes[0].New)
	}
	return quick(title, suspect, v.editDoc(v.t.diffEdit(string(out), v.enc))), true
}

// draftAcceptance drafts a new acceptance record for the requirements and criteria of the
// stale one rec, with their current fingerprints and no verdict yet (accept --again).
func (v view) draftAcceptance(rec *record.Record, quick func(string, bool, ...documentChange) codeAction) (codeAction, bool) {
	cfg := v.snap.repo.Config
	kc := cfg.Kinds[record.AcceptanceKind]
	maxN := 0
	for _, r := range v.snap.repo.Records {
		if r.Kind != record.AcceptanceKind {
			continue
		}
		for _, s := range []string{r.ID, strings.TrimSuffix(path.Base(r.File), path.Ext(r.File))} {
			if num, ok := strings.CutPrefix(s, kc.Prefix+"-"); ok {
				if n, err := strconv.Atoi(num); err == nil && n > maxN {
					maxN = n
				}
			}
		}
	}
	id := cfg.FormatID(record.AcceptanceKind, maxN+1)
	file := path.Join(kc.Dir, id+".md")
	if v.exists(file) {
		return codeAction{}, false
	}
	var b strings.Builder
	var ids []string
	for _, a := range rec.Acc.Requirements {
		if v.snap.repo.Requirement(a.ID) != nil {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return codeAction{}, false
	}
	b.WriteString("---\n")
	fmt.Fprintf(&b, "id: %s\n", id)
	fmt.Fprintf(&b, "title: %s\n", author.Quote("Re-acceptance of "+strings.Join(ids, ", ")))
	if sch := v.snap.schemas[record.AcceptanceKind]; sch != nil {
		if props, _ := sch["properties"].(map[string]any); props["supersedes"] != nil {
			fmt.Fprintf(&b, "supersedes: %s\n", author.Quote(rec.ID))
		}
	}
	b.WriteString("# verdict: accepted | conditional | rejected — once the customer has re-checked\n")
	b.WriteString("requirements:\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "  - id: %s\n    fingerprint: %s\n", author.Quote(id), v.snap.repo.Requirement(id).Fingerprint)
	}
	if len(rec.Acc.Criteria) > 0 {
		b.WriteString("criteria:\n")
		for _, c := range rec.Acc.Criteria {
			fmt.Fprintf(&b, "  - criterion: %s\n", author.Quote(c.Criterion))
			if c.Requirement != "" {
				fmt.Fprintf(&b, "    requirement: %s\n", author.Quote(c.Requirement))
			}
		}
	}
	b.WriteString("---\n")
	fmt.Fprintf(&b, "Supersedes %s, which turned stale when the requirements changed.\n\n## How it was verified\n\n## Remarks\n", rec.ID)
	return quick("Draft a new acceptance "+id+" for "+strings.Join(ids, ", ")+" (accept --again)", true, v.createFile(file, b.String())...), true
}

// exists reports whether the slash path file exists on disk or is loaded.
func (v view) exists(file string) bool {
	if v.snap.byFile[file] != nil {
		return true
	}
	_, err := os.Lstat(filepath.Join(v.root, filepath.FromSlash(file)))
	return err == nil || !isNotExist(err)
}

func isNotExist(err error) bool { return err != nil && os.IsNotExist(err) || err == fs.ErrNotExist }

func (v view) createFile(file, content string) []documentChange {
	uri := fileURI(v.root, file)
	return []documentChange{
		{Kind: "create", URI: uri},
		{TextDocument: &editDocument{URI: uri}, Edits: []textEdit{{NewText: content}}},
	}
}

func (v view) editDoc(edits ...textEdit) documentChange {
	var ver *int
	if v.doc != nil {
		n := v.doc.version
		ver = &n
	}
	uri := fileURI(v.root, v.file)
	if v.doc != nil {
		uri = v.doc.uri
	}
	return documentChange{TextDocument: &editDocument{URI: uri, Version: ver}, Edits: edits}
}
