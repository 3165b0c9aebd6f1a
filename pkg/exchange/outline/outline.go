// Package outline is the shape of the hierarchical sources (ReqIF specifications, Doorstop
// documents): items placed in nested chapters, with parents and links by source key, which
// Convert turns into the common import pipeline's exchange.Items (chapters as safe,
// de-duplicated sub-folders; references as exchange.SourceRefs).
package outline

import (
	"fmt"
	"path"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/internal/parallel"
	"github.com/reqtrail/reqtrail/pkg/exchange"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// Item is one record to create or update.
type Item struct {
	Kind   string // "requirement" when empty
	System string // origin.system
	Key    string // origin.id: the item's key within its source
	ID     string // a reqtrail id the source asks for (reqtrail.ID), or ""
	Folder []string
	Title  string
	Body   string
	// HasBody is false when the source has no body for the item (an update keeps the body).
	HasBody bool
	// Fields are front-matter fields other than id, title, parent, links and origin, in the
	// order the source gives them.
	Fields []Field
	// Parent is the key of the parent item, in the same source.
	Parent    string
	ParentPin bool // pin the parent link with the parent's fingerprint
	Links     []Link
	// Reviewed is set when the source says which links were reviewed (Doorstop's stamps):
	// ParentPin and each Link's Pin then decide, pin-links: true does not.
	Reviewed bool
	// Attachments are written under <record-id>.files/ beside the record.
	Attachments []Attachment
	Pos         exchange.Pos
}

// Field is one front-matter value. Value is a string, an int64, a float64, a bool or a
// []string.
type Field struct {
	Key   string
	Value any
	// Custom fields are declared in reqtrail.yaml with Decl as their JSON Schema.
	Custom bool
	Decl   map[string]any
	// Name is the foreign name the field came from (for the summary).
	Name string
}

// Link is a typed link to another item of the source, by key.
type Link struct {
	Type string
	To   string
	Pin  bool
}

// Attachment is a file to write beside the record.
type Attachment struct {
	Name string
	Data []byte
}

// Source is everything one import reads.
type Source struct {
	Items []*Item
	// Notes are lines for the summary (relations to objects outside the file, dropped links,
	// unreviewed links …).
	Notes []string
}

// Field returns the field with key k, or nil.
func (it *Item) Field(k string) *Field {
	for i := range it.Fields {
		if it.Fields[i].Key == k {
			return &it.Fields[i]
		}
	}
	return nil
}

// YAML is a structured field value (a list of mappings, a mapping) given as a YAML node or
// as YAML text.
type YAML struct {
	Node *yaml.Node
	Text string
}

// Convert turns the items of src into the import pipeline's items: chapter names become
// sub-folders (reduced by exchange.SafeName, de-duplicated case-insensitively with -2, -3
// within their folder), parents and links become references to the other items (their
// reqtrail id when they carry one, else an exchange.SourceRef to their origin).
func Convert(src *Source) []exchange.Item {
	byKey := map[string]*Item{}
	for _, it := range src.Items {
		if _, dup := byKey[it.Key]; !dup {
			byKey[it.Key] = it
		}
	}
	folders := map[string]string{}        // parent folder + "\x00" + raw name → folder
	taken := map[string]map[string]bool{} // folder → names taken in it
	dirOf := func(raw []string) string {
		cur := ""
		for _, f := range raw {
			k := cur + "\x00" + f
			if d, ok := folders[k]; ok {
				cur = d
				continue
			}
			name := exchange.SafeName(f)
			if name == "" {
				name = "chapter"
			}
			if taken[cur] == nil {
				taken[cur] = map[string]bool{}
			}
			name = exchange.UniqueName(name, taken[cur])
			d := path.Join(cur, name)
			folders[k] = d
			cur = d
		}
		return cur
	}
	ref := func(from *Item, key string) any {
		to := byKey[key]
		switch {
		case to == nil:
			return exchange.SourceRef(key) // reported by the pipeline as missing
		case to.ID != "":
			return to.ID
		case to.System != from.System:
			return exchange.RefIn(to.System, to.Key)
		}
		return exchange.SourceRef(key)
	}
	// The folders in source order (a chapter name taken first keeps it); then each item on
	// every core.
	dirs := make([]string, len(src.Items))
	for i, it := range src.Items {
		dirs[i] = dirOf(it.Folder)
	}
	out := make([]exchange.Item, len(src.Items))
	parallel.For(len(src.Items), parallel.Workers(len(src.Items), 256), func(_, i int) {
		it := src.Items[i]
		kind := record.Kind(it.Kind)
		if kind == "" {
			kind = record.RequirementKind
		}
		x := exchange.Item{Pos: it.Pos, Kind: kind, ID: it.ID, Dir: dirs[i]}
		if it.ID == "" {
			x.Origin = exchange.Origin{System: it.System, ID: it.Key}
		}
		x.SetField("title", it.Title, it.Pos)
		for _, f := range it.Fields {
			v := f.Value
			if y, ok := v.(YAML); ok {
				v = y.decode()
				if v == nil {
					continue
				}
			}
			if f.Key == "origin" {
				// export reqif carries the record's own origin: match by it.
				if m, ok := v.(map[string]any); ok {
					x.Origin = exchange.Origin{System: fmt.Sprint(m["system"]), ID: fmt.Sprint(m["id"])}
					if u, ok := m["url"].(string); ok {
						x.Origin.URL = u
					}
				}
				continue
			}
			x.SetField(f.Key, v, it.Pos)
			if f.Custom && f.Decl != nil {
				if x.Declare == nil {
					x.Declare = map[string]map[string]any{}
				}
				x.Declare[f.Key] = f.Decl
			}
		}
		if it.Reviewed {
			x.Pins = map[string]bool{}
		}
		if it.Parent != "" {
			x.SetField("parent", ref(it, it.Parent), it.Pos)
			if it.Reviewed {
				x.Pins["parent"] = it.ParentPin
			}
		}
		if len(it.Links) > 0 {
			var links []any
			for i, l := range it.Links {
				links = append(links, map[string]any{"type": l.Type, "to": ref(it, l.To)})
				if it.Reviewed {
					x.Pins["links."+strconv.Itoa(i)] = l.Pin
				}
			}
			x.SetField("links", links, it.Pos)
		}
		if it.HasBody {
			b := it.Body
			x.Body = &b
		}
		for _, a := range it.Attachments {
			x.Attachments = append(x.Attachments, exchange.Attachment{Name: a.Name, Data: a.Data})
		}
		out[i] = x
	})
	return out
}

// decode is the value of y in the pipeline's form (nil when it does not decode), read as
// records are read: a date stays the string it is written as.
func (y YAML) decode() any {
	n := y.Node
	if n == nil {
		var doc yaml.Node
		if yaml.Unmarshal([]byte(y.Text), &doc) != nil || len(doc.Content) == 0 {
			return nil
		}
		n = doc.Content[0]
	}
	var probe any
	if n.Decode(&probe) != nil {
		return nil
	}
	return record.Value(n, nil)
}
