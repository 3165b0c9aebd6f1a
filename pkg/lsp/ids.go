package lsp

import (
	"strings"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// idHit is one record id written in a line of text: ID in canonical form, the byte span
// [Start, End) in the line, and whether it was written with "_" for "-".
type idHit struct {
	ID         string
	Kind       record.Kind
	Start, End int
	Underscore bool
}

func isASCIIWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// idsInLine finds every well-formed id of any kind in l, with the boundary rules of a
// citation (SPEC §4): no ASCII letter or digit right before or after.
func idsInLine(cfg *config.Config, l string) []idHit {
	var hits []idHit
	for _, k := range record.AllKinds() {
		prefix := cfg.Kinds[k].Prefix
		if prefix == "" {
			continue
		}
		forms := []string{prefix + "-"}
		if u := strings.ReplaceAll(prefix, "-", "_") + "_"; u != forms[0] {
			forms = append(forms, u)
		}
		for fi, form := range forms {
			for off := 0; off < len(l); {
				i := strings.Index(l[off:], form)
				if i < 0 {
					break
				}
				start := off + i
				off = start + 1
				if start > 0 && isASCIIWordByte(l[start-1]) {
					continue
				}
				j := start + len(form)
				for j < len(l) && l[j] >= '0' && l[j] <= '9' {
					j++
				}
				if j < len(l) && isASCIIWordByte(l[j]) {
					continue
				}
				id := prefix + "-" + l[start+len(form):j]
				if !cfg.ValidID(k, id) {
					continue
				}
				hits = append(hits, idHit{ID: id, Kind: k, Start: start, End: j, Underscore: fi == 1})
			}
		}
	}
	return hits
}

// idAt returns the id whose span holds byte c of l (its end included: the cursor right
// after an id is on it).
func idAt(cfg *config.Config, l string, c int) (idHit, bool) {
	for _, h := range idsInLine(cfg, l) {
		if h.Start <= c && c <= h.End {
			return h, true
		}
	}
	return idHit{}, false
}

// typedID finds an id being typed right before byte c of l: a kind's prefix and separator
// followed by digits only. It returns the kind, where the prefix starts, the digits typed
// and whether "_" was used.
func typedID(cfg *config.Config, l string, c int) (kind record.Kind, start int, digits string, underscore, ok bool) {
	w := c
	for w > 0 && (isASCIIWordByte(l[w-1]) || l[w-1] == '-' || l[w-1] == '_') {
		w--
	}
	word := l[w:c]
	best := -1
	for _, k := range record.AllKinds() {
		prefix := cfg.Kinds[k].Prefix
		if prefix == "" {
			continue
		}
		for fi, form := range []string{prefix + "-", strings.ReplaceAll(prefix, "-", "_") + "_"} {
			i := strings.LastIndex(word, form)
			if i < 0 || i <= best {
				continue
			}
			if i > 0 && isASCIIWordByte(word[i-1]) {
				continue
			}
			rest := word[i+len(form):]
			if strings.Trim(rest, "0123456789") != "" {
				continue
			}
			best = i
			kind, start, digits, underscore, ok = k, w+i, rest, fi == 1, true
		}
	}
	return
}
