// Package acceptance writes acceptance records: a new record pinning requirements' current
// fingerprints, and the in-place re-pinning of a stale record's fingerprints that keeps every
// other byte of the file.
package acceptance

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// Verdicts are the values of an acceptance record's verdict.
var Verdicts = vocab.Verdicts

// Entry is one accepted requirement with the fingerprint to pin.
type Entry struct {
	ID, Title, Fingerprint string
}

// New describes a new acceptance record.
type New struct {
	ID         string
	Title      string // "" gives a title from the verdict and the requirements
	Verdict    string
	Date       string // YYYY-MM-DD
	AcceptedBy string
	Entries    []Entry
	Evidence   []string
}

// Render returns the file content of a new acceptance record.
func Render(n New) ([]byte, error) {
	if len(n.Entries) == 0 {
		return nil, fmt.Errorf("an acceptance record accepts at least one requirement")
	}
	if !ValidDate(n.Date) {
		return nil, fmt.Errorf("date %q is not a date written YYYY-MM-DD", n.Date)
	}
	title := n.Title
	if strings.TrimSpace(title) == "" {
		title = DefaultTitle(n.Verdict, n.Entries)
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	fmt.Fprintf(&b, "id: %s\n", Scalar(n.ID))
	fmt.Fprintf(&b, "title: %s\n", Scalar(title))
	fmt.Fprintf(&b, "verdict: %s\n", Scalar(n.Verdict))
	fmt.Fprintf(&b, "date: %s\n", n.Date)
	fmt.Fprintf(&b, "accepted-by: %s\n", Scalar(n.AcceptedBy))
	b.WriteString("requirements:\n")
	for _, e := range n.Entries {
		fmt.Fprintf(&b, "  - id: %s\n    fingerprint: %s\n", Scalar(e.ID), Scalar(e.Fingerprint))
	}
	if len(n.Evidence) > 0 {
		b.WriteString("evidence:\n")
		for _, e := range n.Evidence {
			fmt.Fprintf(&b, "  - %s\n", Scalar(e))
		}
	}
	b.WriteString("---\n")
	b.WriteString("## How it was verified\n\n<!-- Tests, demonstrations, inspections; with dates and evidence. -->\n\n## Remarks\n")
	return b.Bytes(), nil
}

// DefaultTitle names a record after its verdict and requirements: "Acceptance of REQ-0001:
// <title>" for one requirement, "Conditional acceptance of REQ-0001, REQ-0002" for several.
func DefaultTitle(verdict string, entries []Entry) string {
	what := "Acceptance of "
	switch verdict {
	case "conditional":
		what = "Conditional acceptance of "
	case "rejected":
		what = "Rejected acceptance of "
	}
	if len(entries) == 1 {
		if entries[0].Title != "" {
			return what + entries[0].ID + ": " + entries[0].Title
		}
		return what + entries[0].ID
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return what + strings.Join(ids, ", ")
}

// ValidDate reports whether s is a calendar date written YYYY-MM-DD.
func ValidDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == 10
}

// Scalar writes s as a YAML scalar: plain when YAML reads it back as the same string on
// one line, double-quoted otherwise.
func Scalar(s string) string {
	if s != "" && !strings.ContainsAny(s, "\n\r\t\"'\\") && utf8.ValidString(s) && !yaml11Special(s) {
		var v map[string]any
		if yaml.Unmarshal([]byte("k: "+s+"\n"), &v) == nil {
			if got, ok := v["k"].(string); ok && got == s {
				return s
			}
		}
	}
	return strconv.Quote(s)
}

// yaml11Special reports whether s would be read as a boolean or a number by a YAML 1.1
// reader (yes, off, 1_000, 1:20), though yaml.v3 reads it as a string.
func yaml11Special(s string) bool {
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off":
		return true
	}
	if s[0] < '0' || s[0] > '9' {
		return false
	}
	return strings.Trim(s, "0123456789_.:") == ""
}

// Repin is one fingerprint a refresh changed.
type Repin struct {
	Index    int    // the index in requirements:
	ID       string // the requirement
	Old, New string
	Line     int
}

// Refresh re-pins the fingerprints of acceptance record rec to the requirements' current
// ones (current returns a requirement's fingerprint, false when it does not exist). It
// rewrites only the fingerprint values — every other byte, comments and quoting style
// included, stays — and returns the new content and what changed (nothing when every
// fingerprint is current). An entry with no fingerprint key gets one, on the line after its
// id. A requirement that does not exist, or a fingerprint that is not a one-line scalar, is
// an error and nothing is changed.
func Refresh(rec *record.Record, current func(id string) (string, bool)) ([]byte, []Repin, error) {
	if rec.Node == nil || rec.Acc == nil {
		return nil, nil, fmt.Errorf("%s is not a parsed acceptance record", rec.File)
	}
	seq := rec.ValueNode("requirements")
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil, nil, fmt.Errorf("%s has no requirements list", rec.File)
	}
	lines := lineOffsets(rec.Raw)
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	var repins []Repin
	for i, item := range seq.Content {
		if item.Kind != yaml.MappingNode {
			return nil, nil, fmt.Errorf("%s:%d: requirements[%d] is not a mapping with id and fingerprint", rec.File, item.Line, i)
		}
		idNode := mapValue(item, "id")
		if idNode == nil || idNode.Kind != yaml.ScalarNode || idNode.Value == "" {
			return nil, nil, fmt.Errorf("%s:%d: requirements[%d] has no id", rec.File, item.Line, i)
		}
		id := idNode.Value
		fp, ok := current(id)
		if !ok {
			return nil, nil, fmt.Errorf("%s:%d: requirements[%d] names %s, which is not a requirement; fix the record first", rec.File, idNode.Line, i, id)
		}
		key, val := mapEntry(item, "fingerprint")
		if val == nil {
			// No fingerprint key: add one after the id.
			e, err := insertAfterID(rec, lines, item, idNode, fp)
			if err != nil {
				return nil, nil, err
			}
			edits = append(edits, edit{e.at, e.at, e.text})
			repins = append(repins, Repin{Index: i, ID: id, New: fp, Line: idNode.Line})
			continue
		}
		if val.Kind != yaml.ScalarNode {
			return nil, nil, fmt.Errorf("%s:%d: requirements[%d].fingerprint is not a scalar", rec.File, val.Line, i)
		}
		old := val.Value
		if val.ShortTag() == "!!null" {
			old = ""
		}
		if old == fp {
			continue
		}
		start, end, text, err := scalarSpan(rec, lines, key, val, fp)
		if err != nil {
			return nil, nil, err
		}
		edits = append(edits, edit{start, end, text})
		repins = append(repins, Repin{Index: i, ID: id, Old: old, New: fp, Line: val.Line})
	}
	if len(edits) == 0 {
		return rec.Raw, nil, nil
	}
	var out bytes.Buffer
	pos := 0
	for _, e := range edits { // in file order: the sequence is in file order
		out.Write(rec.Raw[pos:e.start])
		out.WriteString(e.text)
		pos = e.end
	}
	out.Write(rec.Raw[pos:])
	if err := verify(rec, out.Bytes(), repins); err != nil {
		return nil, nil, err
	}
	return out.Bytes(), repins, nil
}

// verify checks that data, the refreshed file, reads back as rec with only the fingerprints
// of repins changed.
func verify(rec *record.Record, data []byte, repins []Repin) error {
	fail := func(why string) error {
		return fmt.Errorf("%s: re-pinning the fingerprints would %s; nothing was changed (please report this)", rec.File, why)
	}
	got, perr := record.Parse(rec.File, rec.Kind, data, nil)
	if perr != nil {
		return fail("break the file (" + perr.Error() + ")")
	}
	want, _ := record.Value(rec.Node, nil).(map[string]any)
	reqs, _ := want["requirements"].([]any)
	for _, p := range repins {
		if p.Index < len(reqs) {
			if m, ok := reqs[p.Index].(map[string]any); ok {
				m["fingerprint"] = p.New
			}
		}
	}
	if !reflect.DeepEqual(record.Value(got.Node, nil), want) {
		return fail("change more than the fingerprints")
	}
	if got.Body != rec.Body {
		return fail("change the body")
	}
	return nil
}

// lineOffsets returns the byte offset of the start of each line (index 0 is line 1).
func lineOffsets(data []byte) []int {
	offs := []int{0}
	for i, c := range data {
		if c == '\n' {
			offs = append(offs, i+1)
		}
	}
	return offs
}

// offset returns the byte offset of a node position (1-based line, column in code points).
func offset(rec *record.Record, lines []int, line, col int) (int, error) {
	if line < 1 || line > len(lines) || col < 1 {
		return 0, fmt.Errorf("%s: position %d:%d is outside the file", rec.File, line, col)
	}
	off := lines[line-1]
	if line == 1 && bytes.HasPrefix(rec.Raw, []byte("\xef\xbb\xbf")) {
		off += 3
	}
	for range col - 1 {
		if off >= len(rec.Raw) || rec.Raw[off] == '\n' {
			return 0, fmt.Errorf("%s: position %d:%d is outside its line", rec.File, line, col)
		}
		_, size := utf8.DecodeRune(rec.Raw[off:])
		off += size
	}
	return off, nil
}

// scalarSpan returns the byte span of val's source text and its replacement by fp in the
// same style.
func scalarSpan(rec *record.Record, lines []int, key, val *yaml.Node, fp string) (start, end int, text string, err error) {
	raw := rec.Raw
	if val.ShortTag() == "!!null" && val.Value == "" {
		// "fingerprint:" with no value: the value goes after the colon that follows the key.
		ks, err := offset(rec, lines, key.Line, key.Column)
		if err != nil {
			return 0, 0, "", err
		}
		i := ks + len(key.Value)
		for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t') {
			i++
		}
		if i >= len(raw) || raw[i] != ':' {
			return 0, 0, "", fmt.Errorf("%s:%d: cannot find the colon after fingerprint", rec.File, key.Line)
		}
		return i + 1, i + 1, " " + Scalar(fp), nil
	}
	start, err = offset(rec, lines, val.Line, val.Column)
	if err != nil {
		return 0, 0, "", err
	}
	bad := fmt.Errorf("%s:%d: the fingerprint is not a one-line scalar; write it as fingerprint: VALUE", rec.File, val.Line)
	switch val.Style {
	case yaml.DoubleQuotedStyle:
		if start >= len(raw) || raw[start] != '"' {
			return 0, 0, "", bad
		}
		i := start + 1
		for i < len(raw) && raw[i] != '"' && raw[i] != '\n' {
			if raw[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(raw) || raw[i] != '"' {
			return 0, 0, "", bad
		}
		return start, i + 1, strconv.Quote(fp), nil
	case yaml.SingleQuotedStyle:
		if start >= len(raw) || raw[start] != '\'' {
			return 0, 0, "", bad
		}
		i := start + 1
		for i < len(raw) && raw[i] != '\n' {
			if raw[i] == '\'' {
				if i+1 < len(raw) && raw[i+1] == '\'' {
					i += 2
					continue
				}
				break
			}
			i++
		}
		if i >= len(raw) || raw[i] != '\'' {
			return 0, 0, "", bad
		}
		return start, i + 1, "'" + fp + "'", nil
	case 0:
		if !bytes.HasPrefix(raw[start:], []byte(val.Value)) || strings.ContainsAny(val.Value, "\n") {
			return 0, 0, "", bad
		}
		return start, start + len(val.Value), Scalar(fp), nil
	}
	return 0, 0, "", bad
}

type insertion struct {
	at   int
	text string
}

// insertAfterID adds "fingerprint: fp" to an entry that has none: a new line under the id
// in a block mapping, ", fingerprint: fp" after the id in a flow mapping.
func insertAfterID(rec *record.Record, lines []int, item, idNode *yaml.Node, fp string) (insertion, error) {
	raw := rec.Raw
	start, err := offset(rec, lines, idNode.Line, idNode.Column)
	if err != nil {
		return insertion{}, err
	}
	if idNode.Style != 0 && idNode.Style != yaml.DoubleQuotedStyle && idNode.Style != yaml.SingleQuotedStyle {
		return insertion{}, fmt.Errorf("%s:%d: add a fingerprint to this entry by hand", rec.File, idNode.Line)
	}
	end := start + len(idNode.Value)
	if idNode.Style != 0 {
		// Quoted ids hold no quote characters in practice (ids are prefix-digits).
		end = start + len(idNode.Value) + 2
	}
	if end > len(raw) {
		return insertion{}, fmt.Errorf("%s:%d: cannot locate the id", rec.File, idNode.Line)
	}
	if item.Style&yaml.FlowStyle != 0 {
		return insertion{end, ", fingerprint: " + Scalar(fp)}, nil
	}
	// Block mapping: a new line indented like the id key, after the id's line.
	idKey := mapKey(item, "id")
	nl := bytes.IndexByte(raw[end:], '\n')
	if nl < 0 || idKey == nil {
		return insertion{}, fmt.Errorf("%s:%d: add a fingerprint to this entry by hand", rec.File, idNode.Line)
	}
	eol := "\n"
	if end+nl > 0 && raw[end+nl-1] == '\r' {
		eol = "\r\n"
	}
	at := end + nl + 1
	return insertion{at, strings.Repeat(" ", idKey.Column-1) + "fingerprint: " + Scalar(fp) + eol}, nil
}

func mapEntry(m *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

func mapValue(m *yaml.Node, key string) *yaml.Node { _, v := mapEntry(m, key); return v }

func mapKey(m *yaml.Node, key string) *yaml.Node { k, _ := mapEntry(m, key); return k }
