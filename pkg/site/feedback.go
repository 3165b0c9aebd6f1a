package site

import (
	"html/template"
	"strings"
	"time"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// quoteRow is one feedback record as a requirement page and the pool show it: who said it,
// when, through which channel, and their words (the body, rendered safely).
type quoteRow struct {
	Ref      ref
	Customer string
	Channel  string
	Date     string
	Weight   int
	Words    template.HTML
}

func (b *builder) quoteRow(fb *record.Record) quoteRow {
	return quoteRow{
		Ref: b.refFromRecord(fb.ID), Customer: fb.Fb.Customer, Channel: fb.Fb.Channel, Date: fb.Fb.Date,
		Weight: fb.Fb.Weight, Words: template.HTML(b.md.render(fb.Body, fb.File, fb.ID)),
	}
}

// feedbackView is the page of one feedback record.
type feedbackView struct {
	Ref       ref
	Customer  string
	Channel   string
	Date      string
	Rec       *record.Record // the body and fields panel are written from it
	Supports  []ref
	Untriaged bool
	History   []historyRow
	HasGit    bool
	File      string
	FileHref  string
}

func (b *builder) feedbackPage(rec *record.Record, title string, hist []historyRow, hasGit bool, fileHref string) ([]byte, error) {
	f := rec.Fb
	v := &feedbackView{
		Ref: b.refFromRecord(rec.ID), Customer: f.Customer, Channel: f.Channel, Date: f.Date,
		Rec: rec, Supports: b.refsFromRecord(uniqInOrder(f.Requirements)),
		Untriaged: len(f.Requirements) == 0, History: hist, HasGit: hasGit, File: rec.File, FileHref: fileHref,
	}
	return b.execute("feedback", b.newPage(title, "pool", recRoot, "r/"+b.pages[rec.ID], v))
}

// poolRow is one untriaged feedback record on the pool page, with its age in days.
type poolRow struct {
	Ref                     ref
	Customer, Channel, Date string
	// Text is the start of the customer's words as plain text (escaped by the template).
	Text string
	// Age is the number of whole days from its date to the site's "now"; -1 when either is
	// unknown.
	Age int
}

// maxPoolText bounds the words the pool page shows of each feedback.
const maxPoolText = 280

// plainExcerpt is s with white space runs collapsed, cut to at most n runes with "…".
func plainExcerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// poolView is the requirement pool: untriaged feedback, oldest first.
type poolView struct {
	Rows   []poolRow
	HasNow bool
	Now    string
	// Triaged counts the feedback records that name a requirement.
	Triaged int
}

// poolPage writes pool.html: every feedback record without requirements, oldest first,
// aged from the site's "now" (SPEC §8: the commit time, or SOURCE_DATE_EPOCH).
func (b *builder) poolPage() ([]byte, error) {
	now := b.now()
	v := &poolView{HasNow: !now.IsZero(), Triaged: len(b.fbs) - len(b.tr.graph.Pool)}
	if v.HasNow {
		v.Now = now.UTC().Format(time.DateOnly)
	}
	for _, fb := range b.tr.graph.Pool {
		f := fb.Fb
		row := poolRow{Ref: b.ref("", fb.ID), Customer: f.Customer, Channel: f.Channel, Date: f.Date,
			Text: plainExcerpt(b.md.text(fb.Body), maxPoolText), Age: -1}
		if d, err := time.Parse(time.DateOnly, fb.Fb.Date); err == nil && v.HasNow {
			row.Age = max(int(now.Sub(d).Hours()/24), 0)
		}
		v.Rows = append(v.Rows, row)
	}
	return b.execute("pool", b.newPage(b.t("Requirement pool"), "pool", "", "pool.html", v))
}

// uniqInOrder drops repeated ids, keeping the first of each in order.
func uniqInOrder(ids []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
