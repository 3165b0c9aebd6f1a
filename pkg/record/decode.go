package record

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/pos"
)

// Parse reads one record file. file is its slash path relative to the project root; shape
// guides scalar decoding (see Shape). The returned record is never nil; on a parse error it
// is not Parsed (no tree, no fields) and the error says where and why.
func Parse(file string, kind Kind, data []byte, shape *Shape) (*Record, *ParseError) {
	return parse(file, kind, data, shape, nil)
}

// Read is Parse for read-only loads: the record it returns holds no tree (as after
// DropTree; Tree parses the front matter with yaml.v3 when asked). Front matter in the plain
// YAML records are written in is read by a parser several times faster than yaml.v3 that
// builds the same nodes (fastFront); anything else goes to yaml.v3.
func Read(file string, kind Kind, data []byte, shape *Shape) (*Record, *ParseError) {
	fp := fastParsers.Get().(*fastParser)
	r, perr := parse(file, kind, data, shape, fp)
	if perr == nil {
		r.DropTree() // computes the references from the tree first
	}
	// The tree's nodes are the parser's, and the next file's: nothing may keep them.
	r.tree.Store(nil)
	fp.reset()
	fastParsers.Put(fp)
	return r, perr
}

// fastReads counts the files Read parsed with fastFront (for tests).
var fastReads atomic.Int64

// parse is Parse, reading the front matter with fastFront first (on fp's memory) when fp is
// set. A tree
// fastFront builds but checkNodes refuses is parsed again by yaml.v3, so that the finding
// comes from the same code either way.
func parse(file string, kind Kind, data []byte, shape *Shape, fp *fastParser) (*Record, *ParseError) {
	r := &Record{Kind: kind, File: file, Raw: data}
	front, body, fmLine, bodyLine, perr := Split(data, YAMLOnly(file))
	if perr != nil {
		return r, perr
	}
	var node *yaml.Node
	if fp != nil {
		if n, ok := fp.parse(front); ok && checkNodes(n, fmLine-1) == nil {
			node = n
			fastReads.Add(1)
		}
	}
	if node == nil {
		if node, perr = ParseFrontMatter(front, fmLine); perr != nil {
			return r, perr
		}
	}
	return r, r.setTree(node, body, bodyLine, shape)
}

// FromTree builds the record of a file with content data whose front matter was just
// written from tree, without parsing it: tree must be what Parse would find in data — every
// node's kind, tag, style, value, line and column — and becomes the record's tree. The
// authoring layer uses it for the records it encodes (it knows where it wrote each node) and
// checks it against Parse in its tests. Duplicate keys, anchors and aliases are refused as
// Parse refuses them.
func FromTree(file string, kind Kind, data []byte, shape *Shape, tree *yaml.Node) (*Record, *ParseError) {
	r := &Record{Kind: kind, File: file, Raw: data}
	_, body, _, bodyLine, perr := Split(data, YAMLOnly(file))
	if perr != nil {
		return r, perr
	}
	if tree == nil || tree.Kind != yaml.MappingNode {
		return r, &ParseError{pos.Position{Line: 1, Column: 1}, "front matter must be a mapping of keys to values"}
	}
	if perr := checkNodes(tree, 0); perr != nil {
		return r, perr
	}
	return r, r.setTree(tree, body, bodyLine, shape)
}

// setTree makes node the record's tree and fills the record from it. The fields come from
// the compact form, which resolves each scalar once and is kept when the tree is dropped; a
// form just written always decodes (FuzzCompact).
func (r *Record) setTree(node *yaml.Node, body []byte, bodyLine int, shape *Shape) *ParseError {
	r.tree.Store(node)
	if err := r.fill(AppendCompact(nil, node), body, bodyLine, shape); err != nil {
		r.tree.Store(nil)
		return &ParseError{pos.Position{Line: 1, Column: 1}, err.Error()}
	}
	return nil
}

// Restore rebuilds the record of a file with content data from what an earlier Parse of the
// same bytes gave: the compact form of its front matter (Compact), its references (Refs,
// whose ranges are in file) and its fingerprint ("" for other kinds than requirements). The
// record cache uses it; an error means compact is not one.
func Restore(file string, kind Kind, data []byte, shape *Shape, compact []byte, refs []Ref, fingerprint string) (*Record, error) {
	r := &Record{Kind: kind, File: file, Raw: data}
	if kind == RequirementKind {
		r.Fingerprint = fingerprint
	}
	_, body, _, bodyLine, perr := Split(data, YAMLOnly(file))
	if perr != nil {
		return nil, perr
	}
	if err := r.fill(compact, body, bodyLine, shape); err != nil {
		return nil, err
	}
	r.data = nil
	r.refs.Store(&refs)
	return r, nil
}

// fill sets what a parsed record holds from its compact form and body, keeping the decoded
// fields for the loader's validation (DropFields releases them).
func (r *Record) fill(compact, body []byte, bodyLine int, shape *Shape) error {
	fields, err := CompactFields(compact, shape)
	if err != nil {
		return err
	}
	r.parsed = true
	r.compact = compact
	r.Body = string(body)
	r.BodyLine = bodyLine
	r.shape = shape
	r.data = fields
	r.decode()
	return nil
}

// decode fills ID, Title, the typed view and the fingerprint from the fields.
func (r *Record) decode() {
	d := r.data
	r.ID = str(d, "id")
	r.Title = str(d, "title")
	switch r.Kind {
	case RequirementKind:
		q := &Requirement{
			Type:         str(d, "type"),
			Necessity:    str(d, "necessity"),
			Status:       str(d, "status"),
			Urgency:      str(d, "urgency"),
			Feasibility:  str(d, "feasibility"),
			Owner:        str(d, "owner"),
			Release:      str(d, "release"),
			Start:        str(d, "start"),
			Due:          str(d, "due"),
			Verification: str(d, "verification"),
			Tags:         strs(d, "tags"),
		}
		if q.Status == "" {
			q.Status = "new"
		}
		switch p := d["parent"].(type) {
		case string:
			q.Parent = p
		case map[string]any:
			q.Parent, q.ParentFingerprint = str(p, "id"), str(p, "fingerprint")
		}
		if p := obj(d, "priority"); p != nil {
			q.MoSCoW = str(p, "moscow")
			q.Kano = str(p, "kano")
			q.Value = num(p, "value")
			q.Cost = num(p, "cost")
			if ice := obj(p, "ice"); ice != nil {
				q.ICE = ICE{num(ice, "impact"), num(ice, "confidence"), num(ice, "ease")}
			}
		}
		if s := obj(d, "source"); s != nil {
			q.Channel = str(s, "channel")
			q.Requester = str(s, "requester")
			q.SourceDate = str(s, "date")
		}
		for _, l := range list(d, "links") {
			if m, ok := l.(map[string]any); ok {
				q.Links = append(q.Links, Link{Type: str(m, "type"), To: str(m, "to"), Fingerprint: str(m, "fingerprint")})
			} else {
				q.Links = append(q.Links, Link{})
			}
		}
		q.AcceptanceCriteria = strs(d, "acceptance-criteria")
		for _, e := range list(d, "metrics") {
			m, _ := e.(map[string]any)
			q.Metrics = append(q.Metrics, metric(m))
		}
		r.Req = q
		if r.Fingerprint == "" {
			r.Fingerprint = Fingerprint(r.Title, q.AcceptanceCriteria, r.Body)
		}
	case ChangeKind:
		c := &ChangeRequest{
			Status:      str(d, "status"),
			Action:      str(d, "action"),
			Affects:     strs(d, "affects"),
			RequestedBy: str(d, "requested-by"),
			Requested:   str(d, "requested"),
			Reason:      str(d, "reason"),
			Impact:      obj(d, "impact"),
		}
		if dec := obj(d, "decision"); dec != nil {
			c.Decision = &Decision{By: str(dec, "by"), Date: str(dec, "date"), Note: str(dec, "note")}
		}
		r.Change = c
	case AcceptanceKind:
		a := &AcceptanceRecord{
			Verdict:    str(d, "verdict"),
			Date:       str(d, "date"),
			AcceptedBy: str(d, "accepted-by"),
			Evidence:   strs(d, "evidence"),
		}
		for _, e := range list(d, "requirements") {
			m, _ := e.(map[string]any)
			a.Requirements = append(a.Requirements, Accepted{ID: str(m, "id"), Fingerprint: str(m, "fingerprint")})
		}
		for _, e := range list(d, "criteria") {
			m, _ := e.(map[string]any)
			c := Criterion{Criterion: str(m, "criterion"), Requirement: str(m, "requirement")}
			if b, ok := m["met"].(bool); ok {
				c.Met = &b
			}
			a.Criteria = append(a.Criteria, c)
		}
		r.Acc = a
	case FeedbackKind:
		r.Fb = &Feedback{
			Date:         str(d, "date"),
			Customer:     str(d, "customer"),
			Channel:      str(d, "channel"),
			Contact:      str(d, "contact"),
			Weight:       num(d, "weight"),
			Requirements: strs(d, "requirements"),
		}
	case EvaluationKind:
		e := &Evaluation{
			Date:         str(d, "date"),
			By:           str(d, "by"),
			Requirements: strs(d, "requirements"),
			Verdict:      str(d, "verdict"),
			FollowUp:     strs(d, "follow-up"),
		}
		if p := obj(d, "period"); p != nil {
			e.From, e.To = str(p, "from"), str(p, "to")
		}
		for _, x := range list(d, "results") {
			m, _ := x.(map[string]any)
			e.Results = append(e.Results, Result{Requirement: str(m, "requirement"), Metric: metric(m), Actual: number(m, "actual")})
		}
		r.Eval = e
	}
}

// metric decodes a metric's (or a result's) name, unit, baseline, target and better.
func metric(m map[string]any) Metric {
	name := str(m, "name")
	if name == "" {
		name = str(m, "metric")
	}
	return Metric{Name: name, Unit: str(m, "unit"), Baseline: number(m, "baseline"), Target: number(m, "target"), Better: str(m, "better")}
}

// number returns the numeric value of key k, or nil when it is absent or not a number.
func number(m map[string]any, k string) *float64 {
	var f float64
	switch v := m[k].(type) {
	case int64:
		f = float64(v)
	case float64:
		f = v
	default:
		return nil
	}
	return &f
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func obj(m map[string]any, k string) map[string]any {
	o, _ := m[k].(map[string]any)
	return o
}

func list(m map[string]any, k string) []any {
	l, _ := m[k].([]any)
	return l
}

func num(m map[string]any, k string) int {
	switch v := m[k].(type) {
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

func strs(m map[string]any, k string) []string {
	l := list(m, k)
	if l == nil {
		return nil
	}
	out := make([]string, 0, len(l))
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Fingerprint computes a requirement's fingerprint (SPEC §3, version 1): the first 12 hex
// digits of the SHA-256 of title, NUL + each criterion, NUL NUL + body, each with white
// space runs collapsed to one space and trimmed.
func Fingerprint(title string, criteria []string, body string) string {
	h := sha256.New()
	var buf [512]byte
	w := normWriter{h: h, buf: buf[:0]}
	w.text(title)
	for _, c := range criteria {
		w.raw(0)
		w.text(c)
	}
	w.raw(0)
	w.raw(0)
	w.text(body)
	w.flush()
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))[:12]
}

// normWriter streams white-space-normalised text into a hash without building strings.
type normWriter struct {
	h   hash.Hash
	buf []byte
}

func (w *normWriter) raw(b byte) {
	if len(w.buf) == cap(w.buf) {
		w.flush()
	}
	w.buf = append(w.buf, b)
}

func (w *normWriter) flush() {
	w.h.Write(w.buf)
	w.buf = w.buf[:0]
}

// text writes s with every run of Unicode white space collapsed to one space, trimmed.
func (w *normWriter) text(s string) {
	started, space := false, false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				space = true
				continue
			}
			if space && started {
				w.raw(' ')
			}
			started, space = true, false
			w.raw(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = true
			i += size
			continue
		}
		if space && started {
			w.raw(' ')
		}
		started, space = true, false
		for j := range size {
			w.raw(s[i+j])
		}
		i += size
	}
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
