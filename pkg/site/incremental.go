package site

import (
	"bytes"
	"hash"
	"hash/fnv"
	"html"
	"maps"
	"net/url"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/reqtrail/reqtrail/internal/parallel"
	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// Incremental builds a site in memory again and again (`reqtrail serve`), re-rendering only
// the record pages a change touches: the records whose file changed, the records whose
// trace (coverage, links in, children, change requests, acceptance, citations, impact,
// effect, demand) changed, and the record pages that link to any of those (they show their
// titles and statuses). The other pages (dashboard, list, matrix, change log, roadmap, pool,
// findings, search and list data) are rendered every time. A change of configuration, of
// git history or of the set of records, or a change to no record at all (a traced source
// file, an image), rebuilds everything. Feed each build the repo loaded with
// repo.Options.Reuse of the last one, so unchanged records keep their *record.Record.
type Incremental struct {
	// Early, when set, receives the site as soon as an incremental build has rendered the
	// record pages the change touches, before the list pages, dashboard, matrix and search
	// data (a server shows the edited record's page without waiting for them); the site
	// Build returns follows.
	Early func(*Files)

	mu    sync.Mutex
	files *Files
	last  *lastBuild
}

// lastBuild is what the next build compares with.
type lastBuild struct {
	r      *repo.Repo
	opts   Options
	recs   map[string]*record.Record // id → record shown
	pages  map[string]string         // id → page file name
	digest map[string]uint64         // id → digest of its trace
	// linked holds, by page file name, the ids of the records the page links to.
	linked map[string][]string
	// terms are the search terms of each requirement's text.
	terms map[string][]string
}

// IncrementalStats says what a build re-rendered.
type IncrementalStats struct {
	Stats
	// Full is set when every page was rendered.
	Full bool
	// Changed counts the records whose file changed; Touched the record pages rendered.
	Changed, Touched int
}

// Build renders the site of r, re-using the last build's pages where nothing they show
// changed; it returns the new site (the last one is not modified: a server may still be
// serving it).
func (inc *Incremental) Build(r *repo.Repo, opts Options) (*Files, IncrementalStats, error) {
	inc.mu.Lock()
	defer inc.mu.Unlock()
	opts.Progress = nil
	files := NewFiles()
	last := inc.last
	if last != nil && inc.files != nil {
		files = inc.files.clone()
	}
	b, err := prepare(r, files, opts)
	if err != nil {
		return nil, IncrementalStats{}, err
	}
	b.linked = map[string][]string{}
	b.terms = &termCache{next: map[string][]string{}}
	if last != nil {
		b.terms.last = last.terms
	}
	cur := &lastBuild{r: r, opts: opts, recs: map[string]*record.Record{}, pages: b.pages, digest: b.traceDigests()}
	for id := range b.pages {
		cur.recs[id] = r.ByID[id]
	}
	st := IncrementalStats{Full: true}
	var only func(string) bool
	if last != nil && inc.files != nil && last.compatible(cur) {
		changed := map[string]bool{}
		for id, rec := range cur.recs {
			if last.recs[id] != rec {
				changed[id] = true
			}
		}
		if len(changed) > 0 {
			st.Full, st.Changed = false, len(changed)
			touched := touchedPages(changed, cur.pages, func(id string) bool { return last.digest[id] != cur.digest[id] },
				func(id string) []string { return last.linked[cur.pages[id]] })
			only = func(id string) bool { return touched[id] }
			// The pages not rendered keep their links.
			for id, name := range cur.pages {
				if !touched[id] {
					b.linked[name] = last.linked[name]
				}
			}
		}
	}
	if st.Full {
		files = NewFiles()
		b.out = files
	}
	if only != nil && inc.Early != nil {
		b.afterRecords = func() { inc.Early(files.clone()) }
	}
	stats, err := b.run(only)
	st.Stats = stats
	st.Touched = stats.RecordPages
	if err != nil {
		return nil, st, err
	}
	cur.linked, cur.terms = b.linked, b.terms.next
	inc.files, inc.last = files, cur
	return files, st, nil
}

// touchedPages returns the records whose pages must be rendered again: those changed, those
// whose trace changed (traced reports it), and those whose page linked to either (they show
// their titles and statuses); linked gives the ids the last build's page of a record linked
// to.
func touchedPages(changed map[string]bool, pages map[string]string, traced func(id string) bool, linked func(id string) []string) map[string]bool {
	touched := maps.Clone(changed)
	for id := range pages {
		if traced(id) {
			touched[id] = true
		}
	}
	direct := maps.Clone(touched)
	for id := range pages {
		for _, to := range linked(id) {
			if direct[to] {
				touched[id] = true
				break
			}
		}
	}
	return touched
}

// compatible reports whether cur can re-use the pages of the last build: the same
// configuration, history, revision and options, and the same records (by id and page).
func (l *lastBuild) compatible(cur *lastBuild) bool {
	a, b := l.opts, cur.opts
	return a.History == b.History && a.Source == b.Source && a.BaseURL == b.BaseURL &&
		a.GitPrefix == b.GitPrefix && a.LiveReload == b.LiveReload && a.Baseline == nil && b.Baseline == nil &&
		maps.Equal(l.pages, cur.pages) && sameConfig(l.r.Config, cur.r.Config)
}

// sameConfig reports whether two loads read the same configuration: reqtrail.yaml's bytes
// and what they decoded to (the parsed file itself holds caches, not compared).
func sameConfig(a, b *config.Config) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || (a.Record == nil) != (b.Record == nil) ||
		a.Record != nil && !bytes.Equal(a.Record.Raw, b.Record.Raw) {
		return false
	}
	x, y := *a, *b
	x.Record, y.Record = nil, nil
	return reflect.DeepEqual(x, y)
}

// traceDigests returns the trace digest of every record with a page, computed on all cores.
func (b *builder) traceDigests() map[string]uint64 {
	ids := make([]string, 0, len(b.pages))
	for id := range b.pages {
		ids = append(ids, id)
	}
	sums := make([]uint64, len(ids))
	parallel.For(len(ids), runtime.GOMAXPROCS(0), func(_, i int) { sums[i] = b.traceDigest(ids[i]) })
	out := make(map[string]uint64, len(ids))
	for i, id := range ids {
		out[id] = sums[i]
	}
	return out
}

// traceDigest hashes what the trace says of record id — what its page shows of other
// records without linking them (the titles and statuses of the records it links come from
// those records, whose change re-renders the page anyway) — and the record's git history.
func (b *builder) traceDigest(id string) uint64 {
	t := b.tr
	h := digester{fnv.New64a()}
	h.str(t.Coverage[id])
	h.strs(t.Suspect[id])
	for _, r := range t.Results[id] {
		h.strs([]string{r.Name, r.File, string(r.Status), strconv.FormatFloat(r.Time, 'g', -1, 64)})
	}
	h.sep()
	if rep := t.Impact[id]; rep != nil {
		c := rep.Counts
		h.ints(c.Requirements, c.Changes, c.Acceptance, c.Impl, c.Tests, c.Feedback, c.Evaluations, rep.More)
		for _, q := range rep.Rows {
			h.strs([]string{q.ID, q.Type, q.From, strconv.FormatBool(q.Suspect)})
			h.ints(q.Depth)
		}
	}
	h.sep()
	h.strs(t.Children[id])
	for _, l := range t.LinksIn[id] {
		h.strs([]string{l.From, l.Type})
	}
	h.sep()
	h.strs(t.Changes[id])
	for _, a := range t.Acceptance[id] {
		h.strs([]string{a.ID, a.Verdict, a.Date, strconv.FormatBool(a.Stale), strconv.FormatBool(a.Superseded)})
	}
	h.sep()
	for _, cs := range [][]Citation{t.Impl[id], t.Tests[id]} {
		for _, c := range cs {
			h.str(c.File)
			h.ints(c.Line)
		}
		h.sep()
	}
	for _, e := range b.evalsOf[id] {
		h.str(e.ID)
	}
	h.sep()
	h.str(b.overdue[id])
	if n := t.graph.Node(id); n != nil {
		for _, fb := range n.Feedback {
			h.str(fb.ID)
		}
		h.sep()
		// The customers come from the record's requester (its own change re-renders the
		// page) and from its feedback.
		if len(n.Feedback) > 0 {
			h.strs(n.Customers())
		}
	}
	h.sep()
	if rh := b.history(id); rh != nil {
		for _, t := range rh.Touches {
			h.strs([]string{t.Hash, t.Author, t.Email, t.Subject, t.Action, t.Path, t.Status})
			h.ints(int(t.Date.Unix()), t.Date.Nanosecond(), int(t.Committed.Unix()), t.Committed.Nanosecond())
		}
	}
	return h.Sum64()
}

// digester feeds values to a hash, each ended so that no two lists hash alike.
type digester struct{ hash.Hash64 }

func (d digester) str(s string) {
	d.Write([]byte(s))
	d.Write([]byte{0})
}

func (d digester) strs(ss []string) {
	for _, s := range ss {
		d.str(s)
	}
	d.sep()
}

func (d digester) ints(ns ...int) {
	var buf [20]byte
	for _, n := range ns {
		d.Write(strconv.AppendInt(buf[:0], int64(n), 10))
		d.Write([]byte{0})
	}
	d.sep()
}

func (d digester) sep() { d.Write([]byte{1}) }

// noteLinks records the records a rendered record page links to (its sibling pages in r/).
func (b *builder) noteLinks(name string, page []byte) {
	var ids []string
	seen := map[string]bool{}
	for {
		i := bytes.Index(page, []byte(`href="`))
		if i < 0 {
			break
		}
		page = page[i+len(`href="`):]
		j := bytes.IndexByte(page, '"')
		if j < 0 {
			break
		}
		raw := page[:j]
		page = page[j:]
		// Most links leave r/ or point into the page: ruled out before anything is copied
		// ('/', ':' and '?' are never part of an entity, so unescaping keeps them).
		if bytes.ContainsAny(raw, "/:?") {
			continue
		}
		var href string
		if bytes.IndexByte(raw, '&') >= 0 {
			href = html.UnescapeString(string(raw))
		} else if bytes.IndexByte(raw, '#') < 0 && bytes.HasSuffix(raw, []byte(".html")) {
			href = string(raw)
		} else {
			continue
		}
		if strings.ContainsAny(href, "/:#?") || !strings.HasSuffix(href, ".html") {
			continue
		}
		if p, err := url.PathUnescape(href); err == nil {
			href = p
		}
		id := strings.TrimSuffix(href, ".html")
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	b.linkedMu.Lock()
	b.linked[strings.TrimPrefix(name, "r/")] = ids
	b.linkedMu.Unlock()
}

// clone returns a copy of the site that shares the files' bytes (never modified in place).
func (f *Files) clone() *Files {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &Files{files: maps.Clone(f.files)}
}
