package backlog

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// BenchmarkDemand measures demand on the generated corpus of 10,000 requirements with
// 20,000 feedback records from 500 customers (each written three ways: case and spacing
// differ), each supporting one to three requirements: "rank" is rank --by demand (the graph,
// demand and the sort), "query" is list --query over the site's search text (with the
// feedback's words).
func BenchmarkDemand(b *testing.B) {
	dir := b.TempDir()
	if err := os.CopyFS(dir, os.DirFS(corpus.ForBenchmark(b, 10000))); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "feedback"), 0o755); err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= 20000; i++ {
		c := i % 500
		customer := []string{fmt.Sprintf("Customer %d", c), fmt.Sprintf("customer  %d", c), fmt.Sprintf("CUSTOMER %d ", c)}[i%3]
		reqs := []string{fmt.Sprintf("REQ-%04d", 1+i%10000)}
		for k := range i % 3 {
			reqs = append(reqs, fmt.Sprintf("REQ-%04d", 1+(i*7+k*13)%10000))
		}
		data := fmt.Sprintf("---\nid: FB-%04d\ntitle: Feedback %d\ndate: 2024-06-%02d\ncustomer: %q\nchannel: sales\nweight: %d\nrequirements: [%s]\n---\nThe customer asked for it again, politely.\n",
			i, i, 1+i%28, customer, 1+i%10, strings.Join(reqs, ", "))
		if err := os.WriteFile(filepath.Join(dir, "feedback", fmt.Sprintf("FB-%04d.md", i)), []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	r := repo.Load(os.DirFS(dir))
	if n := len(r.Parsed(record.FeedbackKind)); n != 20000 {
		b.Fatalf("%d feedback records loaded (%v)", n, r.Diags)
	}
	b.Run("rank", func(b *testing.B) {
		var top int
		for b.Loop() {
			top = Rank(r, Options{By: ByDemand})[0].Demand
		}
		b.ReportMetric(float64(top), "top-demand")
	})
	b.Run("query", func(b *testing.B) {
		for b.Loop() {
			Select(r, Filter{Query: "politely"})
		}
	})
}
