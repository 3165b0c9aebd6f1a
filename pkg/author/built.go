package author

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// newRecord is the record of a file the plan creates with content data: built from tree, the
// front matter as the encoder wrote it with every node's position (see encode), when there
// is one, without parsing data; parsed otherwise. In tests every built record is checked
// against record.Parse of the same bytes (a mismatch panics), unless
// REQTRAIL_UNCHECKED_RECORDS is set (the benchmarks set it).
func newRecord(file string, kind record.Kind, data []byte, tree *yaml.Node, shape *record.Shape) (*record.Record, *record.ParseError) {
	if tree == nil {
		return record.Parse(file, kind, data, shape)
	}
	rec, perr := record.FromTree(file, kind, data, shape, tree)
	if testing.Testing() && os.Getenv("REQTRAIL_UNCHECKED_RECORDS") == "" {
		if msg := sameRecord(rec, perr, file, kind, data, shape); msg != "" {
			panic(fmt.Sprintf("author: the record built for %s differs from record.Parse's: %s\n%s", file, msg, data))
		}
	}
	return rec, perr
}

// sameRecord compares a built record (and its error) with what record.Parse gives for the
// same bytes; it returns "" when they are the same, else the first difference.
func sameRecord(rec *record.Record, perr *record.ParseError, file string, kind record.Kind, data []byte, shape *record.Shape) string {
	want, wantErr := record.Parse(file, kind, data, shape)
	if (perr == nil) != (wantErr == nil) || perr != nil && *perr != *wantErr {
		return fmt.Sprintf("error %v, Parse's %v", perr, wantErr)
	}
	if perr != nil {
		return ""
	}
	if msg := sameTree(rec.Tree(), want.Tree(), "front matter"); msg != "" {
		return msg
	}
	switch {
	case string(rec.Compact()) != string(want.Compact()):
		return "compact forms differ"
	case !reflect.DeepEqual(rec.Refs(), want.Refs()):
		return fmt.Sprintf("refs %v, Parse's %v", rec.Refs(), want.Refs())
	case !reflect.DeepEqual(rec.Fields(), want.Fields()):
		return fmt.Sprintf("fields %v, Parse's %v", rec.Fields(), want.Fields())
	case rec.ID != want.ID || rec.Title != want.Title || rec.Fingerprint != want.Fingerprint || rec.Body != want.Body || rec.BodyLine != want.BodyLine:
		return "id, title, fingerprint or body differ"
	case !reflect.DeepEqual(rec.Req, want.Req) || !reflect.DeepEqual(rec.Change, want.Change) || !reflect.DeepEqual(rec.Acc, want.Acc):
		return "typed views differ"
	}
	return ""
}

// sameTree compares two node trees as the parser gives them: kind, tag, style, value,
// position and comments of every node.
func sameTree(got, want *yaml.Node, at string) string {
	switch {
	case got == nil || want == nil:
		if got != want {
			return at + ": one tree is missing"
		}
		return ""
	case got.Kind != want.Kind || got.Tag != want.Tag || got.Style != want.Style || got.Value != want.Value || got.Anchor != want.Anchor:
		return fmt.Sprintf("%s: kind %d tag %s style %d value %q, Parse's kind %d tag %s style %d value %q", at, got.Kind, got.Tag, got.Style, got.Value, want.Kind, want.Tag, want.Style, want.Value)
	case got.Line != want.Line || got.Column != want.Column:
		return fmt.Sprintf("%s (%q): at %d:%d, Parse's %d:%d", at, got.Value, got.Line, got.Column, want.Line, want.Column)
	case got.HeadComment != want.HeadComment || got.LineComment != want.LineComment || got.FootComment != want.FootComment:
		return at + ": comments differ"
	case len(got.Content) != len(want.Content):
		return fmt.Sprintf("%s: %d children, Parse's %d", at, len(got.Content), len(want.Content))
	}
	for i := range got.Content {
		if msg := sameTree(got.Content[i], want.Content[i], at+" > "+strings.TrimSpace(fmt.Sprint(i, " ", want.Content[i].Value))); msg != "" {
			return msg
		}
	}
	return ""
}
