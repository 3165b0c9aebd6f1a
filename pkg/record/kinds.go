package record

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/pos"
)

// KindInfo describes one kind of record: everything reqtrail needs to know to find, name,
// validate and cross-reference its files. Adding a kind is one KindTable entry plus its
// schema file (schema/<kind>.schema.json).
type KindInfo struct {
	Kind Kind
	// Dir, Prefix and Digits are the defaults of reqtrail.yaml's kinds.<kind> entry.
	Dir    string
	Prefix string
	Digits int
	// Refs are the fields whose values are ids of other records, as paths where "[]"
	// stands for every item of a list: "parent", "links[].to", "affects[]".
	Refs []string
	// RefKinds gives the kind of record a ref names when it is not a requirement
	// ("follow-up[]": change requests).
	RefKinds map[string]Kind
	// Schema is the kind's embedded JSON Schema file; "" is "<kind>.schema.json".
	Schema string
}

// SchemaFile returns the name of the kind's embedded JSON Schema file.
func (k *KindInfo) SchemaFile() string {
	if k.Schema != "" {
		return k.Schema
	}
	return string(k.Kind) + ".schema.json"
}

// KindTable lists every kind in a stable order: the order of reports and of SPEC §2.
var KindTable = []KindInfo{
	{Kind: RequirementKind, Dir: "reqs", Prefix: "REQ", Digits: 4,
		Refs: []string{"parent", "parent.id", "links[].to"}},
	{Kind: ChangeKind, Dir: "changes", Prefix: "CR", Digits: 4,
		Refs: []string{"affects[]"}},
	{Kind: AcceptanceKind, Dir: "acceptance", Prefix: "ACC", Digits: 4,
		Refs: []string{"requirements[].id", "criteria[].requirement"}},
	{Kind: FeedbackKind, Dir: "feedback", Prefix: "FB", Digits: 4,
		Refs: []string{"requirements[]"}},
	{Kind: EvaluationKind, Dir: "evaluations", Prefix: "EVAL", Digits: 4,
		Refs:     []string{"requirements[]", "results[].requirement", "follow-up[]"},
		RefKinds: map[string]Kind{"follow-up[]": ChangeKind}},
}

// AllKinds returns every kind of KindTable, in order.
func AllKinds() []Kind {
	out := make([]Kind, len(KindTable))
	for i, k := range KindTable {
		out[i] = k.Kind
	}
	return out
}

// Info returns the table entry of kind, or nil for an unknown kind.
func Info(kind Kind) *KindInfo {
	for i := range KindTable {
		if KindTable[i].Kind == kind {
			return &KindTable[i]
		}
	}
	return nil
}

// Ref is one id a record names in its front matter.
type Ref struct {
	// ID is the id as written.
	ID string
	// Path is the field path (keys and decimal list indexes): links, 0, to.
	Path []string
	// Range is where the id is written.
	Range pos.Range
	// Target is the kind of record the ref must name (KindInfo.RefKinds; requirement by default).
	Target Kind
}

// Field renders the ref's path as people write it: links[0].to.
func (r Ref) Field() string { return FieldPath(r.Path) }

// Refs returns every id the record names (its kind's KindInfo.Refs), in the order of the
// table and then of the file, each with its field path and range. Values that are not
// non-empty scalars are skipped (the schema reports them). The slice is computed once per
// record and shared: callers must not modify it (the language server re-lints 10,000
// unchanged records on every keystroke).
func (r *Record) Refs() []Ref {
	if p := r.refs.Load(); p != nil {
		return *p
	}
	info := Info(r.Kind)
	t := r.Tree()
	if info == nil || t == nil {
		return nil
	}
	var out []Ref
	for _, spec := range info.Refs {
		from := len(out)
		r.walkRef(t, strings.Split(spec, "."), nil, &out)
		target := RequirementKind
		if k, ok := info.RefKinds[spec]; ok {
			target = k
		}
		for i := from; i < len(out); i++ {
			out[i].Target = target
		}
	}
	out = slices.Clip(out)
	r.refs.Store(&out)
	return out
}

// walkRef follows the path parts of a ref spec from n, appending the ids it reaches.
func (r *Record) walkRef(n *yaml.Node, parts []string, path []string, out *[]Ref) {
	if len(parts) == 0 {
		if n.Kind == yaml.ScalarNode && n.Value != "" && n.ShortTag() != "!!null" {
			*out = append(*out, Ref{ID: n.Value, Path: path, Range: r.NodeRange(n)})
		}
		return
	}
	key, each := strings.CutSuffix(parts[0], "[]")
	if n.Kind != yaml.MappingNode {
		return
	}
	var v *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v = n.Content[i+1]
			break
		}
	}
	if v == nil {
		return
	}
	p := append(path[:len(path):len(path)], key)
	if !each {
		r.walkRef(v, parts[1:], p, out)
		return
	}
	if v.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range v.Content {
		r.walkRef(item, parts[1:], append(p[:len(p):len(p)], strconv.Itoa(i)), out)
	}
}

// FileID tells whether a file name (a path; only its last element counts) is a record file
// — .md, .yaml or .yml, not README.md, not starting with "." or "_" (SPEC §2) — and returns
// the record id it stands for: the name without its extension. It is the one "is this a
// record file" test, used by the loader, the git history reader and id allocation.
func FileID(name string) (id string, ok bool) {
	name = path.Base(name)
	if strings.EqualFold(name, "README.md") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return "", false
	}
	ext := path.Ext(name)
	switch strings.ToLower(ext) {
	case ".md", ".yaml", ".yml":
		if id := strings.TrimSuffix(name, ext); id != "" {
			return id, true
		}
	}
	return "", false
}

// IsFile reports whether name is a record file (see FileID).
func IsFile(name string) bool {
	_, ok := FileID(name)
	return ok
}

// YAMLOnly reports whether name is a front-matter-only record file (.yaml or .yml).
func YAMLOnly(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}
