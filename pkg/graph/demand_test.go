package graph

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/unicode/norm"

	"github.com/reqtrail/reqtrail/pkg/repo"
)

func fb(id, date, customer, extra string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\nid: " + id + "\ntitle: Feedback " + id + "\ndate: " + date +
		"\ncustomer: " + customer + "\n" + extra + "---\nThe customer's words.\n")}
}

// TestDemand: distinct customers across feedback and the requester, compared after NFKC,
// case folding and white space collapse; the requester by its text before , ， ; or (.
func TestDemand(t *testing.T) {
	fsys := fstest.MapFS{
		"reqs/REQ-0001.md": req("REQ-0001", "source: {requester: 'Customer A, service director'}\n", ""),
		"reqs/REQ-0002.md": req("REQ-0002", "source: {requester: 客户乙（华东区）; 采购}\n", ""),
		"reqs/REQ-0003.md": req("REQ-0003", "source: {requester: Customer Z (gold)}\n", ""),
		"reqs/REQ-0004.md": req("REQ-0004", "", ""),
		"reqs/REQ-0005.md": req("REQ-0005", "source: {requester: '  Customer   A  '}\n", ""),
		// REQ-0001: Customer A three ways and Customer B twice; the requester is Customer A.
		"feedback/FB-0001.md": fb("FB-0001", "2024-06-01", "Customer A", "weight: 3\nrequirements: [REQ-0001, REQ-0001]\n"),
		"feedback/FB-0002.md": fb("FB-0002", "2024-06-02", "'  customer   a '", "weight: 2\nrequirements: [REQ-0001]\n"),
		"feedback/FB-0003.md": fb("FB-0003", "2024-06-03", "CUSTOMER\tA", "requirements: [REQ-0001, REQ-0005]\n"),
		"feedback/FB-0004.md": fb("FB-0004", "2024-06-04", "Customer B", "requirements: [REQ-0001]\n"),
		"feedback/FB-0005.md": fb("FB-0005", "2024-06-05", "Ｃｕｓｔｏｍｅｒ　Ｂ", "weight: 10\nrequirements: [REQ-0001, REQ-0002]\n"),
		// REQ-0002: 客户乙 in feedback and as the requester (before the ； and the （).
		"feedback/FB-0006.md": fb("FB-0006", "2024-06-06", "客户乙", "requirements: [REQ-0002]\n"),
		// REQ-0003: a requester who is not among the feedback customers counts too.
		"feedback/FB-0007.md": fb("FB-0007", "2024-06-07", "Customer Y", "requirements: [REQ-0003]\n"),
		// Untriaged, oldest first in the pool.
		"feedback/FB-0008.md": fb("FB-0008", "2024-05-01", "Customer Q", ""),
		"feedback/FB-0009.md": fb("FB-0009", "2024-04-01", "Customer R", "requirements: []\n"),
	}
	g := Build(repo.Load(fsys), nil)
	for _, c := range []struct {
		id        string
		demand    int
		customers []string
		weight    int
	}{
		{"REQ-0001", 2, []string{"Customer A", "Customer B"}, 15},
		{"REQ-0002", 2, []string{"客户乙", "Ｃｕｓｔｏｍｅｒ Ｂ"}, 10},
		{"REQ-0003", 2, []string{"Customer Z", "Customer Y"}, 0},
		{"REQ-0004", 0, nil, 0},
		{"REQ-0005", 1, []string{"Customer A"}, 0},
	} {
		n := g.Node(c.id)
		if got := n.Demand(); got != c.demand {
			t.Errorf("%s: demand %d, want %d (customers %q)", c.id, got, c.demand, n.Customers())
		}
		if got := n.Customers(); !slices.Equal(got, c.customers) {
			t.Errorf("%s: customers %q, want %q", c.id, got, c.customers)
		}
		if got := n.Weight(); got != c.weight {
			t.Errorf("%s: weight %d, want %d", c.id, got, c.weight)
		}
	}
	var pool []string
	for _, r := range g.Pool {
		pool = append(pool, r.ID)
	}
	if want := []string{"FB-0009", "FB-0008"}; !slices.Equal(pool, want) {
		t.Errorf("pool %v, want %v", pool, want)
	}
}

func TestRequesterCustomer(t *testing.T) {
	for in, want := range map[string]string{
		"Customer A, service director": "Customer A",
		"客户甲，客服总监":                     "客户甲",
		"Customer A; via sales":        "Customer A",
		"Customer A (gold)":            "Customer A",
		"客户乙（华东区）；采购":                  "客户乙",
		"  Customer A  ":               "Customer A",
		"":                             "",
	} {
		if got := RequesterCustomer(in); got != want {
			t.Errorf("RequesterCustomer(%q) = %q, want %q", in, got, want)
		}
	}
	if CustomerKey("Straße") != CustomerKey("STRASSE") {
		t.Errorf("case folding: %q vs %q", CustomerKey("Straße"), CustomerKey("STRASSE"))
	}
}

// FuzzCustomerKey: the ASCII fast path gives what NFKC, case folding and NFKC again give.
func FuzzCustomerKey(f *testing.F) {
	for _, s := range []string{"Customer A", "  acme  Corp ", "ACME", "a\tb", "K", "x~y", "Straße", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		k, ok := asciiCustomerKey(name)
		if !ok {
			return
		}
		s := norm.NFKC.String(fold.String(norm.NFKC.String(name)))
		if want := strings.Join(strings.Fields(s), " "); k != want {
			t.Fatalf("asciiCustomerKey(%q) = %q, want %q", name, k, want)
		}
	})
}
