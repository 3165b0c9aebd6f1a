package author

import (
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/format"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// TestEncodeWithoutCommentsIsCanonical: Encode skips the formatter for a front matter with no
// comments; for every record of the example project and of a generated corpus (comments
// stripped), its output must be what the formatter would make of it.
func TestEncodeWithoutCommentsIsCanonical(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 300, corpus.Options{}); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, root := range []string{filepath.Join("..", "..", "examples", "customer-service"), dir} {
		if _, err := os.Stat(root); err != nil {
			t.Fatal(err)
		}
		r := repo.Load(os.DirFS(root))
		for _, rec := range r.Records {
			if !rec.Parsed() {
				continue
			}
			front := clone(rec.Tree())
			stripAll(front)
			data, err := Encode(rec.Kind, front, rec.Body)
			if err != nil {
				t.Fatalf("%s: %v", rec.File, err)
			}
			canon, err := format.Source(rec.Kind, data, false, nil)
			if err != nil || string(canon) != string(data) {
				t.Errorf("%s: Encode's output is not canonical (%v):\n%s\nformatter:\n%s", rec.File, err, data, canon)
			}
			n++
		}
	}
	if n < 300 {
		t.Fatalf("only %d records checked", n)
	}
}

func stripAll(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		stripAll(c)
	}
}
