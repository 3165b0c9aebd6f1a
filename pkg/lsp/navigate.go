package lsp

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// view is what a request about one document works on.
type view struct {
	snap *snapshot
	enc  encoding
	root string
	doc  *document // nil when the document is not open
	file string
	t    *text
}

func (s *Server) view(uri string) view {
	s.mu.Lock()
	v := view{snap: s.snap, enc: s.enc, root: s.root, doc: s.docs[uri]}
	if v.doc != nil {
		v.file, v.t = v.doc.file, v.doc.t
	} else {
		v.file = s.relFile(uri)
	}
	s.mu.Unlock()
	if v.t == nil {
		if v.file != "" {
			v.t = v.snap.fileText(v.root, v.file)
		} else {
			v.t = newText("")
		}
	}
	return v
}

// at returns the line at p and the byte index of p in it.
func (v view) at(p Position) (string, int) {
	l := v.t.line(p.Line)
	return l, byteIndex(l, p.Character, v.enc)
}

func (v view) spanRange(line int, l string, start, end int) Range {
	return Range{Start: Position{line, units(l[:start], v.enc)}, End: Position{line, units(l[:end], v.enc)}}
}

// recordLocation is where rec's id is written (the start of the file when it has none).
func (v view) recordLocation(rec *record.Record) Location {
	t := newText(string(rec.Raw))
	var r Range
	if rec.Parsed() && rec.ValueNode("id") != nil {
		r = toRange(t, rec.RangeOf("id"), v.enc, nil)
	}
	return Location{URI: fileURI(v.root, rec.File), Range: r}
}

// idUnder decodes a position request and finds the id written at its position.
func (s *Server) idUnder(params json.RawMessage) (v view, p textDocumentPositionParams, l string, h idHit, ok bool, rerr *rpcError) {
	if rerr = decode(params, &p); rerr != nil {
		return
	}
	v = s.view(p.TextDocument.URI)
	l, c := v.at(p.Position)
	h, ok = idAt(v.snap.repo.Config, l, c)
	return
}

func (s *Server) hover(params json.RawMessage) (any, *rpcError) {
	v, p, l, h, ok, rerr := s.idUnder(params)
	if !ok {
		return nil, rerr
	}
	s.mu.Lock()
	md := s.hoverMD
	s.mu.Unlock()
	r := v.spanRange(p.Position.Line, l, h.Start, h.End)
	kind := "markdown"
	if !md {
		kind = "plaintext"
	}
	return hover{Contents: markupContent{Kind: kind, Value: describe(v.snap, h.ID, md)}, Range: &r}, nil
}

// clean removes control characters from record text shown in the editor.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' {
			return ' '
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
}

// inline renders record text for one Markdown line: no control characters, Markdown's
// punctuation escaped (a title never becomes a link or raw HTML).
func inline(s string, md bool) string {
	s = clean(strings.ReplaceAll(s, "\n", " "))
	if !md {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]<>#|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// describe is the hover text of id: what a reader needs to know without opening it.
func describe(snap *snapshot, id string, md bool) string {
	rec := snap.repo.ByID[id]
	bold := func(s string) string {
		if md {
			return "**" + s + "**"
		}
		return s
	}
	if rec == nil {
		return bold(id) + ": no record has this id"
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n\n", args...) }
	status := rec.Status()
	head := bold(id) + " · " + string(rec.Kind)
	if status != "" {
		head += " · " + inline(status, md)
	}
	n := snap.graph.Node(id)
	if n != nil {
		head += " · coverage: " + string(n.Coverage)
	}
	line("%s", head)
	line("%s", inline(rec.Title, md))
	ref := func(id string) string {
		if r := snap.repo.ByID[id]; r != nil && r.Title != "" {
			return inline(id, md) + " — " + inline(r.Title, md)
		}
		return inline(id, md)
	}
	if n != nil {
		if n.ParentID != "" {
			line("Parent: %s", ref(n.ParentID))
		}
		if len(n.Children) > 0 {
			line("Children: %s", joinIDs(n.Children, func(c *graph.Node) string { return c.ID }, md))
		}
		for _, l := range n.Links {
			line("%s %s", capitalize(l.Label), ref(l.ID))
		}
		if len(n.Changes) > 0 {
			line("Change requests: %s", joinIDs(n.Changes, func(r *record.Record) string { return r.ID + " (" + r.Status() + ")" }, md))
		}
		if len(n.Acceptance) > 0 {
			line("Acceptance: %s", joinIDs(n.Acceptance, func(a graph.Acceptance) string {
				s := a.ID + " " + a.Verdict
				if a.Stale {
					s += " (stale)"
				}
				return strings.TrimSpace(s)
			}, md))
		}
		for _, group := range []struct {
			what string
			cs   []citationRef
		}{{"Implemented in", refsOf(n.Impl)}, {"Tested in", refsOf(n.Tests)}} {
			if len(group.cs) > 0 {
				line("%s: %s", group.what, joinIDs(group.cs, func(c citationRef) string { return c.String() }, md))
			}
		}
	}
	switch {
	case rec.Change != nil && len(rec.Change.Affects) > 0:
		line("Affects: %s", joinIDs(rec.Change.Affects, ref, false))
	case rec.Acc != nil && len(rec.Acc.Requirements) > 0:
		line("Accepts: %s", joinIDs(rec.Acc.Requirements, func(a record.Accepted) string { return ref(a.ID) }, false))
	}
	if body := firstLines(rec.Body, 5); body != "" {
		if md {
			b.WriteString("---\n\n")
			for _, l := range strings.Split(body, "\n") {
				b.WriteString(strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(clean(l)) + "\n")
			}
			b.WriteString("\n")
		} else {
			b.WriteString(clean(strings.ReplaceAll(body, "\n", "\x00")) + "\n\n")
		}
	}
	line("%s", inline(rec.File, md))
	return strings.TrimSpace(strings.ReplaceAll(b.String(), "\x00", "\n"))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// joinIDs lists up to 8 items.
func joinIDs[T any](l []T, name func(T) string, md bool) string {
	var parts []string
	for i, x := range l {
		if i == 8 {
			parts = append(parts, fmt.Sprintf("and %d more", len(l)-8))
			break
		}
		s := name(x)
		if md {
			s = inline(s, md)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

type citationRef struct {
	file string
	line int
}

func (c citationRef) String() string { return fmt.Sprintf("%s:%d", c.file, c.line) }

func refsOf(cs []citation.Citation) []citationRef {
	out := make([]citationRef, 0, len(cs))
	for _, c := range cs {
		out = append(out, citationRef{c.File(), c.Line()})
	}
	return out
}

// firstLines returns the first n non-empty lines of a Markdown body.
func firstLines(body string, n int) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimRight(l, " \t\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "<!--") {
			continue
		}
		out = append(out, l)
		if len(out) == n {
			break
		}
	}
	return strings.Join(out, "\n")
}

func (s *Server) definition(params json.RawMessage) (any, *rpcError) {
	v, _, _, h, ok, rerr := s.idUnder(params)
	if !ok {
		return nil, rerr
	}
	rec := v.snap.repo.ByID[h.ID]
	if rec == nil {
		return nil, nil
	}
	return []Location{v.recordLocation(rec)}, nil
}

func (s *Server) references(params json.RawMessage) (any, *rpcError) {
	var p referenceParams
	if rerr := decode(params, &p); rerr != nil {
		return nil, rerr
	}
	v := s.view(p.TextDocument.URI)
	l, c := v.at(p.Position)
	id := ""
	if h, ok := idAt(v.snap.repo.Config, l, c); ok {
		id = h.ID
	} else if rec := v.snap.byFile[v.file]; rec != nil {
		id = rec.ID // anywhere in a record: its own references
	}
	if id == "" {
		return nil, nil
	}
	return v.referencesTo(id, p.Context.IncludeDeclaration), nil
}

// referencesTo lists every mention of id in records (front matter and body) and every
// code or test citation of it.
func (v view) referencesTo(id string, withDecl bool) []Location {
	cfg := v.snap.repo.Config
	under := strings.ReplaceAll(id, "-", "_")
	decl := v.snap.repo.ByID[id]
	locs := []Location{}
	for _, rec := range v.snap.repo.Records {
		if rec.Raw == nil || !strings.Contains(string(rec.Raw), id) && !strings.Contains(string(rec.Raw), under) {
			continue
		}
		declLine := -1
		if rec == decl && rec.ValueNode("id") != nil {
			declLine = rec.PosOf("id").Line - 1
		}
		t := newText(string(rec.Raw))
		for i := range t.lines {
			l := t.line(i)
			if !strings.Contains(l, id) && !strings.Contains(l, under) {
				continue
			}
			for _, h := range idsInLine(cfg, l) {
				if h.ID != id || (i == declLine && !withDecl) {
					continue
				}
				locs = append(locs, Location{URI: fileURI(v.root, rec.File), Range: v.spanRange(i, l, h.Start, h.End)})
			}
		}
	}
	texts := map[string]*text{}
	for _, c := range v.snap.scan.Citations {
		if c.ID != id {
			continue
		}
		t := texts[c.File()]
		if t == nil {
			t = v.snap.fileText(v.root, c.File())
			texts[c.File()] = t
		}
		locs = append(locs, Location{URI: fileURI(v.root, c.File()), Range: toRange(t, c.Range, v.enc, cfg)})
	}
	return locs
}

func (s *Server) documentSymbol(params json.RawMessage) (any, *rpcError) {
	var p struct {
		TextDocument textDocumentIdentifier `json:"textDocument"`
	}
	if rerr := decode(params, &p); rerr != nil {
		return nil, rerr
	}
	v := s.view(p.TextDocument.URI)
	syms := []documentSymbol{}
	last := len(v.t.lines) - 1
	whole := Range{End: Position{last, units(v.t.line(last), v.enc)}}
	if rec := v.snap.byFile[v.file]; rec != nil && rec.Parsed() {
		top := documentSymbol{Name: rec.ID, Detail: clean(rec.Title), Kind: symbolFile, Range: whole, SelectionRange: whole}
		if top.Name == "" {
			top.Name = v.file
		}
		t := newText(string(rec.Raw))
		tree := rec.Tree()
		for i := 0; i+1 < len(tree.Content); i += 2 {
			k := tree.Content[i]
			r := tokenRange(t, k.Line, k.Column, v.enc, nil)
			if k.Value == "id" {
				top.SelectionRange = toRange(t, rec.RangeOf("id"), v.enc, nil)
			}
			top.Children = append(top.Children, documentSymbol{Name: clean(k.Value), Kind: symbolKey, Range: r, SelectionRange: r})
		}
		syms = append(syms, top)
		return syms, nil
	}
	cfg := v.snap.repo.Config
	for i := range v.t.lines {
		l := v.t.line(i)
		for _, h := range idsInLine(cfg, l) {
			r := v.spanRange(i, l, h.Start, h.End)
			detail := ""
			if rec := v.snap.repo.ByID[h.ID]; rec != nil {
				detail = clean(rec.Title)
			}
			syms = append(syms, documentSymbol{Name: h.ID, Detail: detail, Kind: symbolConstant, Range: r, SelectionRange: r})
		}
		if len(syms) >= 2000 {
			break
		}
	}
	return syms, nil
}

// maxSymbols caps workspace/symbol answers (the client asks again as the query grows).
const maxSymbols = 200

func (s *Server) workspaceSymbol(params json.RawMessage) (any, *rpcError) {
	var p workspaceSymbolParams
	if rerr := decode(params, &p); rerr != nil {
		return nil, rerr
	}
	s.mu.Lock()
	v := view{snap: s.snap, enc: s.enc, root: s.root}
	s.mu.Unlock()
	q := strings.ToLower(strings.TrimSpace(p.Query))
	var hits []*record.Record
	for _, rec := range v.snap.repo.Records {
		if rec.ID == "" || v.snap.repo.ByID[rec.ID] != rec {
			continue
		}
		if q == "" || strings.Contains(strings.ToLower(rec.ID), q) || strings.Contains(strings.ToLower(rec.Title), q) {
			hits = append(hits, rec)
		}
	}
	slices.SortFunc(hits, func(a, b *record.Record) int { return graph.CompareIDs(a.ID, b.ID) })
	out := []symbolInformation{}
	for _, rec := range hits {
		if len(out) == maxSymbols {
			break
		}
		out = append(out, symbolInformation{Name: rec.ID + " " + clean(rec.Title), Kind: symbolString,
			Location: v.recordLocation(rec), ContainerName: string(rec.Kind)})
	}
	return out, nil
}
