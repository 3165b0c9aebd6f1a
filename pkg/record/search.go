package record

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// SearchText is the text a search looks in: the id, the title, every scalar value of the
// front matter (requester, channel, owner, tags, criteria, … to a depth of 8) and the body.
// The site's search index and reqtrail list --query both search it, so they find the same
// records.
func (r *Record) SearchText() string {
	var b strings.Builder
	b.WriteString(r.ID)
	b.WriteByte(' ')
	b.WriteString(r.Title)
	if r.compact != nil {
		compactText(r.compact, &b)
		b.WriteByte(' ')
		b.WriteString(r.Body)
		return b.String()
	}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 8 {
			return
		}
		switch n.Kind {
		case yaml.ScalarNode:
			b.WriteByte(' ')
			b.WriteString(n.Value)
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if depth == 0 && (n.Content[i].Value == "id" || n.Content[i].Value == "title") {
					continue
				}
				walk(n.Content[i+1], depth+1)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
	}
	walk(r.Tree(), 0)
	b.WriteByte(' ')
	b.WriteString(r.Body)
	return b.String()
}
