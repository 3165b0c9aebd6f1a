package graph

import (
	"cmp"
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// byDate orders feedback oldest first: by date, then id.
func byDate(a, b *record.Record) int {
	return cmp.Or(strings.Compare(a.Fb.Date, b.Fb.Date), CompareIDs(a.ID, b.ID))
}

var fold = cases.Fold()

// CustomerKey is the form in which customers compare (SPEC §11): Unicode NFKC, case folded,
// white space runs collapsed to one space and trimmed. "" for a name of white space only.
func CustomerKey(name string) string {
	if k, ok := asciiCustomerKey(name); ok {
		return k
	}
	s := norm.NFKC.String(name)
	s = fold.String(s)
	s = norm.NFKC.String(s) // folding can leave a string that is not NFKC-normal
	return strings.Join(strings.Fields(s), " ")
}

// asciiCustomerKey is CustomerKey for a name of printable ASCII and spaces, where NFKC
// changes nothing and case folding lowers the letters; false for any other name.
func asciiCustomerKey(name string) (string, bool) {
	lower, space := true, false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == ' ':
			space = true
		case c < 0x21 || c > 0x7e:
			return "", false
		case c >= 'A' && c <= 'Z':
			lower = false
		}
	}
	if lower && !space {
		return name, true
	}
	return strings.Join(strings.Fields(strings.ToLower(name)), " "), true
}

// RequesterCustomer is the customer a requirement's source.requester names: its text before
// the first "," "，" ";" or "(" ("Customer A, service director" is Customer A), trimmed.
// The full-width "；" and "（" cut too: they are ";" and "(" under NFKC, the form in which
// customers compare.
func RequesterCustomer(requester string) string {
	if i := strings.IndexAny(requester, ",，;；(（"); i >= 0 {
		requester = requester[:i]
	}
	return strings.TrimSpace(requester)
}

// Demand is how many distinct customers asked for a requirement (SPEC §11): the customers of
// its feedback records, plus its source.requester when that customer is not among them.
// Weight does not enter it.
func (n *Node) Demand() int {
	return len(n.Customers())
}

// Customers returns the distinct customers who asked for the requirement, each as first
// written: its requester's customer, then its feedback's customers by date.
func (n *Node) Customers() []string {
	seen := map[string]bool{}
	var out []string
	add := func(name string) {
		k := CustomerKey(name)
		if k == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, strings.Join(strings.Fields(name), " "))
	}
	if n.Record != nil && n.Record.Req != nil {
		add(RequesterCustomer(n.Record.Req.Requester))
	}
	for _, fb := range n.Feedback {
		add(fb.Fb.Customer)
	}
	return out
}

// Weight is the total weight of the requirement's feedback records (an unset weight counts
// 0): rank --by demand's tie-breaker.
func (n *Node) Weight() int {
	w := 0
	for _, fb := range n.Feedback {
		w += fb.Fb.Weight
	}
	return w
}

// SearchText is the text a search looks in for the requirement: its own
// (record.SearchText), then the customer, title and words of each feedback that supports
// it, so that a customer's name or phrasing finds what they asked for. The site's search
// and reqtrail list --query both use it.
func (n *Node) SearchText() string {
	s := n.Record.SearchText()
	if len(n.Feedback) == 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s)
	for _, fb := range n.Feedback {
		b.WriteString(" " + fb.Fb.Customer + " " + fb.Title + " " + fb.Body)
	}
	return b.String()
}
