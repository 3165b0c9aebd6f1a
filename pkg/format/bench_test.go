package format

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// BenchmarkSourceCanonical measures fmt --check's common case: an already canonical record.
func BenchmarkSourceCanonical(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "customer-service", "reqs", "chat", "REQ-0002.md"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Source(record.RequirementKind, data, false, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSourceReorder measures a record that needs reordering (parse, encode, verify,
// second pass).
func BenchmarkSourceReorder(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "customer-service", "reqs", "chat", "REQ-0002.md"))
	if err != nil {
		b.Fatal(err)
	}
	s, ok := scramble(&testing.T{}, data)
	if !ok {
		b.Fatal("cannot scramble")
	}
	for b.Loop() {
		if _, err := Source(record.RequirementKind, s, false, nil); err != nil {
			b.Fatal(err)
		}
	}
}
