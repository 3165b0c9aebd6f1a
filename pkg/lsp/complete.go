package lsp

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
)

// maxIDItems caps the ids offered at once; the list is marked incomplete so the client asks
// again as more digits are typed.
const maxIDItems = 200

// idFields are the front-matter places that hold a requirement id, as schema paths ("[]"
// for an array's items).
var idFields = map[record.Kind][]string{
	record.RequirementKind: {"parent", "links.[].to"},
	record.ChangeKind:      {"affects.[]"},
	record.AcceptanceKind:  {"requirements.[].id", "criteria.[].requirement"},
	record.FeedbackKind:    {"requirements.[]"},
}

func (s *Server) completion(params json.RawMessage) (any, *rpcError) {
	var p textDocumentPositionParams
	if rerr := decode(params, &p); rerr != nil {
		return nil, rerr
	}
	v := s.view(p.TextDocument.URI)
	if v.file == "" {
		return completionList{Items: []completionItem{}}, nil
	}
	l, c := v.at(p.Position)
	kind, isRecord := v.recordKind()
	if isRecord {
		if fm, ok := frontMatterLines(v.t, v.file); ok && p.Position.Line > fm.start && p.Position.Line < fm.end {
			if list, ok := v.frontMatterCompletion(kind, p.Position.Line, l, c); ok {
				return list, nil
			}
		}
	}
	_, traced := v.snap.roles[v.file]
	if traced || isRecord {
		if k, start, digits, under, ok := typedID(v.snap.repo.Config, l, c); ok {
			if traced && !isRecord {
				k = record.RequirementKind // only requirements are cited
			}
			return v.idItems(k, digits, under, v.spanRange(p.Position.Line, l, start, c)), nil
		}
	}
	return completionList{Items: []completionItem{}}, nil
}

func (v view) recordKind() (record.Kind, bool) {
	if rec := v.snap.byFile[v.file]; rec != nil {
		return rec.Kind, true
	}
	switch strings.ToLower(path.Ext(v.file)) {
	case ".md", ".yaml", ".yml":
		return v.snap.repo.Config.KindOfDir(v.file) // a record not loaded yet
	}
	return "", false
}

type lineSpan struct{ start, end int }

// frontMatterLines is the span of lines strictly between which the front matter lies: the
// fences of a .md record, or the whole of a .yaml one.
func frontMatterLines(t *text, file string) (lineSpan, bool) {
	ext := strings.ToLower(path.Ext(file))
	if ext == ".yaml" || ext == ".yml" {
		return lineSpan{-1, len(t.lines)}, true
	}
	if strings.TrimRight(strings.TrimPrefix(t.line(0), "\ufeff"), " \t") != "---" {
		return lineSpan{}, false
	}
	for i := 1; i < len(t.lines); i++ {
		if strings.TrimRight(t.line(i), " \t") == "---" {
			return lineSpan{0, i}, true
		}
	}
	return lineSpan{0, len(t.lines)}, true
}

// shape of one front-matter line: the column of its "- " (or -1), of its key (or of its
// content), and its key ("" when it has none).
func lineShape(l string) (dash, keyCol int, key string, blank bool) {
	i := 0
	for i < len(l) && l[i] == ' ' {
		i++
	}
	rest := l[i:]
	if rest == "" || strings.HasPrefix(rest, "#") {
		return -1, i, "", true
	}
	dash = -1
	if rest == "-" || strings.HasPrefix(rest, "- ") {
		dash = i
		i++
		for i < len(l) && l[i] == ' ' {
			i++
		}
		rest = l[i:]
	}
	if k, _, ok := strings.Cut(rest, ":"); ok && !strings.ContainsAny(k, " \"'{[") {
		key = k
	}
	return dash, i, key, false
}

// parentPath returns the schema path of the mapping or sequence the cursor line belongs to,
// found by indentation ("[]" for a sequence item).
func parentPath(t *text, fmStart, line int) (pathOut []string, item bool) {
	dash, keyCol, _, _ := lineShape(t.line(line))
	cur := keyCol
	var rev []string
	if dash >= 0 {
		item = true
		rev = append(rev, "[]")
		cur = dash
	}
	for i := line - 1; i > fmStart && cur > 0; i-- {
		d, k, key, blank := lineShape(t.line(i))
		if blank {
			continue
		}
		switch {
		case k == cur && d >= 0 && d < cur:
			rev = append(rev, "[]")
			cur = d
		case k < cur && key != "":
			rev = append(rev, key)
			cur = k
			if d >= 0 {
				rev = append(rev, "[]")
				cur = d
			}
		case d >= 0 && d < cur && key == "":
			rev = append(rev, "[]")
			cur = d
		}
	}
	slices.Reverse(rev)
	return rev, item
}

func (v view) frontMatterCompletion(kind record.Kind, line int, l string, c int) (completionList, bool) {
	sch := v.snap.schemas[kind]
	if sch == nil {
		return completionList{}, false
	}
	fm, _ := frontMatterLines(v.t, v.file)
	before := l[:c]
	parent, item := parentPath(v.t, fm.start, line)
	_, keyCol, _, _ := lineShape(before)
	if keyCol > len(before) {
		keyCol = len(before)
	}
	content := before[keyCol:]
	if key, val, ok := strings.Cut(content, ":"); ok && !strings.ContainsAny(key, " \"'{[") {
		// key: value — complete the value.
		vstart := c - len(strings.TrimLeft(val, " "))
		p := append(slices.Clone(parent), key)
		return v.valueItems(kind, sch, p, l[vstart:c], v.spanRange(line, l, vstart, c)), true
	}
	if item {
		if items := schema.At(sch, parent...); items != nil && items["properties"] == nil {
			// - value in a list of scalars.
			return v.valueItems(kind, sch, parent, content, v.spanRange(line, l, keyCol, c)), true
		}
	}
	if strings.ContainsAny(content, " \"'") {
		return completionList{}, false
	}
	obj := schema.At(sch, parent...)
	props, _ := obj["properties"].(map[string]any)
	if len(props) == 0 {
		return completionList{}, false
	}
	present := siblingKeys(v.t, fm, line, keyCol)
	names := make([]string, 0, len(props))
	for k := range props {
		if !present[k] {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	r := v.spanRange(line, l, keyCol, c)
	items := make([]completionItem, 0, len(names))
	for i, k := range names {
		ps, _ := props[k].(map[string]any)
		items = append(items, completionItem{Label: k, Kind: completionField, Detail: describeSchema(schema.At(sch, append(slices.Clone(parent), k)...), ps),
			SortText: fmt.Sprintf("%04d", i), TextEdit: &textEdit{Range: r, NewText: k + ": "}})
	}
	return completionList{Items: items}, true
}

// siblingKeys are the keys already written at column col in the block around line.
func siblingKeys(t *text, fm lineSpan, line, col int) map[string]bool {
	out := map[string]bool{}
	for _, dir := range []int{-1, 1} {
		for i := line + dir; i > fm.start && i < fm.end; i += dir {
			_, k, key, blank := lineShape(t.line(i))
			if blank || k > col {
				continue
			}
			if k < col {
				break
			}
			if key != "" {
				out[key] = true
			}
		}
	}
	return out
}

// describeSchema is a one-line summary of a property for a completion item's detail.
func describeSchema(s, raw map[string]any) string {
	if d, ok := raw["description"].(string); ok {
		return d
	}
	if s == nil {
		return ""
	}
	if d, ok := s["description"].(string); ok {
		return d
	}
	if e := schema.EnumOf(s); len(e) > 0 {
		return strings.Join(e, " | ")
	}
	if t, ok := s["type"].(string); ok {
		return t
	}
	return ""
}

func (v view) valueItems(kind record.Kind, sch map[string]any, p []string, typed string, r Range) completionList {
	joined := strings.Join(p, ".")
	if slices.Contains(idFields[kind], joined) {
		k, _, digits, under, ok := typedID(v.snap.repo.Config, typed, len(typed))
		if !ok || k != record.RequirementKind {
			digits, under = "", false
			if typed != "" && !strings.HasPrefix(v.snap.repo.Config.Kinds[record.RequirementKind].Prefix, strings.ToUpper(typed)) {
				return completionList{Items: []completionItem{}}
			}
		}
		return v.idItems(record.RequirementKind, digits, under, r)
	}
	if k, _, digits, under, ok := typedID(v.snap.repo.Config, typed, len(typed)); ok {
		return v.idItems(k, digits, under, r) // an id in a field of the project's own
	}
	s := schema.At(sch, p...)
	items := []completionItem{}
	if s == nil {
		return completionList{Items: items}
	}
	values := schema.EnumOf(s)
	if t, _ := s["type"].(string); t == "boolean" {
		values = []string{"true", "false"}
	}
	names := v.snap.repo.Config.ValueNames() // the Chinese names of values: entries
	for i, e := range values {
		if typed != "" && !strings.HasPrefix(e, typed) {
			continue
		}
		items = append(items, completionItem{Label: e, Kind: completionEnumMem, SortText: fmt.Sprintf("%04d", i),
			Detail: names[e], TextEdit: &textEdit{Range: r, NewText: e}})
	}
	return completionList{Items: items}
}

// idItems offers the ids of kind whose number starts with digits, each with its title.
func (v view) idItems(kind record.Kind, digits string, under bool, r Range) completionList {
	list := completionList{Items: []completionItem{}}
	add := func(rec *record.Record) bool {
		num := rec.ID[strings.LastIndexByte(rec.ID, '-')+1:]
		if !strings.HasPrefix(num, digits) {
			return true
		}
		if len(list.Items) == maxIDItems {
			list.IsIncomplete = true
			return false
		}
		text := rec.ID
		if under {
			text = strings.ReplaceAll(text, "-", "_")
		}
		list.Items = append(list.Items, completionItem{Label: rec.ID, Kind: completionReference, Detail: clean(rec.Title),
			FilterText: text, SortText: rec.ID, TextEdit: &textEdit{Range: r, NewText: text}})
		return true
	}
	if kind == record.RequirementKind {
		for _, n := range v.snap.graph.Nodes {
			if !add(n.Record) {
				break
			}
		}
		return list
	}
	for _, rec := range v.snap.repo.Records {
		if rec.Kind != kind || rec.ID == "" || v.snap.repo.ByID[rec.ID] != rec || !v.snap.repo.Config.ValidID(kind, rec.ID) {
			continue
		}
		if !add(rec) {
			break
		}
	}
	return list
}
