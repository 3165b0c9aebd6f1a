// Package site generates reqtrail's static report site: a dashboard, a searchable list of
// requirements, one page per record, the traceability matrix, the change-request log, a
// roadmap, the requirement pool (untriaged feedback) and the changes since a baseline, as
// plain files that work from file:// and from any static host.
//
// The output is deterministic: the same repository, history and options give byte-identical
// files. "Now" is the commit time of the revision shown, never the clock; everything is sorted;
// no map iteration reaches the output.
package site

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/gate"
	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// Source describes the revision a site shows.
type Source struct {
	// Commit is the full hash of the commit shown, or that HEAD points to for the working
	// tree; "" without git.
	Commit string
	// WorkTree is set when the records come from the working tree (on top of Commit).
	WorkTree bool
	// Rev is the revision as the user named it (for display), e.g. "v1.0".
	Rev string
	// Time is the commit's committer time: the site's "now" for response times. Zero without
	// git: response times are then not shown.
	Time time.Time
}

// Baseline is the comparison shown on the "changes since baseline" page.
type Baseline struct {
	// Rev is the baseline revision as the user named it; Commit its full hash.
	Rev, Commit string
	Changes     []gate.Change
}

// Options configure a build.
type Options struct {
	Source Source
	// BaseURL is the absolute address the site is published at ("" when unknown); it adds
	// canonical links and a sitemap.
	BaseURL string
	// History is the git history of the records (nil without git).
	History *gitrepo.History
	// GitPrefix is the project root's folder inside the git work tree ("" at its top), to
	// turn project paths into repository paths for forge links.
	GitPrefix string
	// Graph is the trace graph of the repo; nil builds it with graph.Load.
	Graph *graph.Graph
	// Lint returns the lint findings shown on the findings page; nil runs lint.Run with the
	// graph.
	Lint func(*repo.Repo) []diag.Diagnostic
	// Baseline adds the "changes since baseline" page.
	Baseline *Baseline
	// LiveReload adds the script that reloads the page when `reqtrail serve` rebuilds.
	LiveReload bool
	// Workers is the number of pages rendered at once (default: GOMAXPROCS).
	Workers int
	// Progress, when set, is called as pages are written (done of total), from any goroutine.
	Progress func(done, total int)
}

// Output receives the files of the site; it must be safe for concurrent use, and must not keep
// data after WriteFile returns (Build reuses the buffers).
type Output interface {
	WriteFile(name string, data []byte) error
}

// Stats sums up a build.
type Stats struct {
	Pages        int   // HTML pages
	RecordPages  int   // pages of records
	Files        int   // every file written
	Bytes        int64 // every byte written
	RecordBytes  int64 // bytes of the record pages
	SearchBytes  int64 // size of the search index
	Requirements int
	// Kept counts the record pages a rebuild into a folder kept from the last build without
	// rendering them (their inputs did not change); they count in the figures above too.
	Kept int
}

// builder holds the state of one build.
type builder struct {
	r    *repo.Repo
	opts Options
	tr   *trace
	t    func(string) string
	lang string
	// schemas are the effective schemas by kind: which values are enumerated.
	schemas map[record.Kind]map[string]any
	// typeOrder are the requirement types, built-in then values: type.
	typeOrder []string
	tmpl      *template.Template
	md        *markdown
	forge     forge
	reqs      []*record.Record
	crs       []*record.Record
	accs      []*record.Record
	fbs       []*record.Record
	evals     []*record.Record
	// evalsOf holds the evaluations that list each requirement, oldest first (the graph's).
	evalsOf map[string][]*record.Record
	// overdue maps each requirement whose effect evaluation is overdue (evaluation-missing)
	// to the finding's message.
	overdue map[string]string
	pages   map[string]string // record id → page file name
	// links holds what a link to each record needs (every record of r.ByID), computed once:
	// the pages link to records tens of times each.
	links  map[string]recordLink
	diags  []diag.Diagnostic
	out    Output
	copies sync.Map // repository files copied into files/
	labels sync.Map // front-matter key → its translated label (fieldLabel, t)
	// chromeCache holds the rendered headers and footers (see chrome).
	chromeCache sync.Map
	copyErr     atomic.Value

	stats   Stats
	statsMu sync.Mutex
	// linked, when set (Incremental), collects the records each record page links to, by
	// page file name; linkedMu guards it.
	linked   map[string][]string
	linkedMu sync.Mutex
	// terms, when set (Incremental), caches the search terms of each requirement's text.
	terms *termCache
	// lits caches the interface texts of the compiled pages.
	lits lits
	// afterRecords, when set, is called once every record page is written (Incremental.Early).
	afterRecords func()
	// sizes, when set (a build into a Dir), collects the size of each record page rendered,
	// by page file name; withFiles the ids of the records whose body shows repository files.
	// statsMu guards sizes, linkedMu withFiles.
	sizes     map[string]int64
	withFiles map[string]bool
	// keptSearch is set when a rebuild keeps the last build's search index (searchName).
	keptSearch bool
	// big is the buffer the pages that show every record share (takeBig); bigMu guards it.
	big   []byte
	bigMu sync.Mutex
}

// searchName is the site's search index.
const searchName = "data/search.js"

// Build writes the site of r to out. Into a Dir that holds an earlier build, it renders
// only the record pages whose inputs changed since (see StateName) and keeps the others: the
// files are byte for byte a full build's.
func Build(r *repo.Repo, out Output, opts Options) (Stats, error) {
	b, err := prepare(r, out, opts)
	if err != nil {
		return Stats{}, err
	}
	if d, ok := out.(*Dir); ok {
		return b.runDir(d)
	}
	return b.run(nil)
}

// prepare indexes r for the pages: the records by kind, the trace, the lint findings.
func prepare(r *repo.Repo, out Output, opts Options) (*builder, error) {
	b := &builder{r: r, opts: opts, out: out, pages: map[string]string{}}
	b.lang = r.Config.Site.Lang
	if b.lang != "zh-CN" {
		b.lang = "en"
	}
	b.t = translator(b.lang, r.Config.ValueNames())
	b.schemas = map[record.Kind]map[string]any{}
	for _, k := range record.AllKinds() {
		if s, err := r.Config.Schema(k); err == nil {
			b.schemas[k] = s
		}
	}
	// The type filter and sort order list the project's extra types after the built-in ones.
	b.typeOrder = append(slices.Clip(typeOrder), r.Config.ExtraValues("type")...)
	g := opts.Graph
	if g == nil {
		g = graph.Load(r)
	}
	// Lint reads the graph and the records as the trace does: the two run at once (lint is
	// one goroutine, the trace's impact reports take every core).
	lintDone := make(chan struct{})
	go func() {
		defer close(lintDone)
		if opts.Lint != nil {
			b.diags = opts.Lint(r)
		} else {
			b.diags = lint.Run(r, lint.Options{Graph: g, Releases: ReleasesOf(opts)})
		}
	}()
	b.tr = newTrace(g)
	b.evalsOf = map[string][]*record.Record{}
	for _, n := range g.Nodes {
		if len(n.Evaluations) > 0 {
			b.evalsOf[n.ID] = n.Evaluations
		}
	}
	b.forge = newForge(r.Config.Site.RepoURL, opts.Source.Commit, opts.GitPrefix)
	for _, rec := range r.Records {
		if !rec.Parsed() || r.ByID[rec.ID] != rec {
			continue
		}
		name := pageName(rec.ID)
		if name == "" {
			continue
		}
		b.pages[rec.ID] = name
		switch rec.Kind {
		case record.RequirementKind:
			b.reqs = append(b.reqs, rec)
		case record.ChangeKind:
			b.crs = append(b.crs, rec)
		case record.AcceptanceKind:
			b.accs = append(b.accs, rec)
		case record.FeedbackKind:
			b.fbs = append(b.fbs, rec)
		case record.EvaluationKind:
			b.evals = append(b.evals, rec)
		}
	}
	for _, l := range [][]*record.Record{b.reqs, b.crs, b.accs, b.fbs, b.evals} {
		slices.SortFunc(l, func(x, y *record.Record) int { return CompareIDs(x.ID, y.ID) })
	}
	b.indexLinks()
	<-lintDone
	b.overdue = b.overdueEvaluations()
	b.md = newMarkdown(b)
	tmpl, err := parseTemplates(b)
	if err != nil {
		return nil, err
	}
	b.tmpl = tmpl
	b.stats.Requirements = len(b.reqs)
	return b, nil
}

// run renders and writes the pages: every page, or with only set the record pages it
// accepts and every other page.
func (b *builder) run(only func(id string) bool) (Stats, error) {
	opts, out := b.opts, b.out

	type job struct {
		name string
		fn   func() ([]byte, error)
		rec  bool
		// big is set for the pages that show every record (see pick).
		big bool
	}
	var jobs []job
	add := func(name string, rec bool, fn func() ([]byte, error)) {
		jobs = append(jobs, job{name: name, fn: fn, rec: rec})
	}
	addBig := func(name string, fn func() ([]byte, error)) { jobs = append(jobs, job{name: name, fn: fn, big: true}) }
	// An incremental build renders its few record pages first (see afterRecords).
	if only != nil {
		b.addRecordJobs(only, func(name string, fn func() ([]byte, error)) { add(name, true, fn) })
	}
	// The longest single jobs first, so that they overlap with the record pages.
	if !b.keptSearch {
		addBig(searchName, b.searchData)
	}
	addBig("roadmap.html", b.roadmapPage)
	addBig("matrix.html", b.matrixPage)
	addBig("index.html", b.dashboardPage)
	addBig("requirements.html", b.listPage)
	addBig("changes.html", b.changeLogPage)
	addBig("findings.html", b.findingsPage)
	addBig("pool.html", b.poolPage)
	if opts.Baseline != nil {
		addBig("baseline.html", b.baselinePage)
	}
	addBig("data/requirements.js", b.listData)
	if only == nil {
		b.addRecordJobs(nil, func(name string, fn func() ([]byte, error)) { add(name, true, fn) })
	}
	recTotal := 0
	for _, j := range jobs {
		if j.rec {
			recTotal++
		}
	}
	var recDone atomic.Int64
	if recTotal == 0 && b.afterRecords != nil {
		b.afterRecords()
	}
	for _, a := range assetNames() {
		add("assets/"+a, false, func() ([]byte, error) { return assetData(a) })
	}
	if opts.BaseURL != "" {
		add("sitemap.xml", false, b.sitemap)
	}
	add(".nojekyll", false, func() ([]byte, error) { return []byte{}, nil })

	workers := b.workers()
	var (
		done     atomic.Int64
		failed   atomic.Bool
		wg       sync.WaitGroup
		errMu    sync.Mutex
		firstErr error
	)
	total := len(jobs)
	// pick hands out the jobs in order, except that a page showing every record (a big
	// working set: the search index, the matrix, the list…) waits while another one runs
	// and other jobs are left: the peak memory is then one such page's, not one per core.
	var (
		pickMu  sync.Mutex
		taken   = make([]bool, total)
		cursor  int
		bigBusy int
	)
	pick := func(finished *job) (int, bool) {
		pickMu.Lock()
		defer pickMu.Unlock()
		if finished != nil && finished.big {
			bigBusy--
		}
		for cursor < total && taken[cursor] {
			cursor++
		}
		first := -1
		for i := cursor; i < total; i++ {
			if taken[i] {
				continue
			}
			if first < 0 {
				first = i
			}
			if !jobs[i].big || bigBusy == 0 {
				first = i
				break
			}
		}
		if first < 0 {
			return 0, false
		}
		taken[first] = true
		if jobs[first].big {
			bigBusy++
		}
		return first, true
	}
	fail := func(name string, err error) {
		errMu.Lock()
		if firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", name, err)
		}
		errMu.Unlock()
		failed.Store(true)
	}
	// The pages are written by one goroutine while the workers render the next ones: the
	// kernel creates the files of one folder one at a time (the folder's lock), and a
	// worker waiting for it would spin in the kernel instead of rendering.
	type page struct {
		j    *job
		data []byte
		hash string // the content hash of data, when out is a Dir
	}
	dir, _ := out.(*Dir)
	pages := make(chan page, 2*workers)
	var writer sync.WaitGroup
	writer.Go(func() {
		for p := range pages {
			j, data := p.j, p.data
			if failed.Load() {
				continue
			}
			var err error
			if dir != nil {
				err = dir.writeHashed(j.name, data, p.hash)
			} else {
				err = out.WriteFile(j.name, data)
			}
			if err != nil {
				fail(j.name, err)
				continue
			}
			if j.rec {
				data = data[:0]
				bufPool.Put(&data)
			} else if j.big {
				b.putBig(data)
			}
			if j.rec && int(recDone.Add(1)) == recTotal && b.afterRecords != nil {
				b.afterRecords()
			}
			n := int(done.Add(1))
			if opts.Progress != nil {
				opts.Progress(n, total)
			}
		}
	})
	for range min(workers, total) {
		wg.Go(func() {
			var last *job
			for !failed.Load() {
				i, ok := pick(last)
				if !ok {
					return
				}
				j := &jobs[i]
				last = j
				data, err := j.fn()
				if err != nil {
					fail(j.name, err)
					return
				}
				if j.rec && b.linked != nil {
					b.noteLinks(j.name, data)
				}
				// What the writer would do besides writing is done here: it is the one
				// goroutine creating files, and it falls behind the renderers once the pages
				// that show every record are done.
				var hash string
				if dir != nil {
					hash = contentHash(data)
				}
				b.count(j.name, data, j.rec)
				pages <- page{j, data, hash}
			}
		})
	}
	wg.Wait()
	close(pages)
	writer.Wait()
	if firstErr != nil {
		return b.stats, firstErr
	}
	if err, _ := b.copyErr.Load().(error); err != nil {
		return b.stats, err
	}
	return b.stats, nil
}

// addRecordJobs adds the record pages (those only accepts, or all) in list order.
func (b *builder) addRecordJobs(only func(string) bool, add func(name string, fn func() ([]byte, error))) {
	for _, l := range [][]*record.Record{b.reqs, b.crs, b.accs, b.fbs, b.evals} {
		for _, rec := range l {
			if only == nil || only(rec.ID) {
				add("r/"+b.pages[rec.ID], func() ([]byte, error) { return b.recordPage(rec) })
			}
		}
	}
}

// workers is the number of goroutines rendering at once.
func (b *builder) workers() int {
	if b.opts.Workers > 0 {
		return b.opts.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func (b *builder) count(name string, data []byte, rec bool) {
	b.statsMu.Lock()
	defer b.statsMu.Unlock()
	b.stats.Files++
	b.stats.Bytes += int64(len(data))
	if strings.HasSuffix(name, ".html") {
		b.stats.Pages++
	}
	if rec {
		b.stats.RecordPages++
		b.stats.RecordBytes += int64(len(data))
		if b.sizes != nil {
			b.sizes[strings.TrimPrefix(name, "r/")] = int64(len(data))
		}
	}
	if name == searchName {
		b.stats.SearchBytes = int64(len(data))
	}
}

// copyFile copies a repository file (an image a body shows) into files/ once; it reports
// whether the file exists and was copied.
func (b *builder) copyFile(p string) bool {
	if v, ok := b.copies.Load(p); ok {
		return v.(bool)
	}
	ok := false
	// Lstat: a symbolic link is not followed out of the project (as for records).
	if info, err := fs.Lstat(b.r.FS, p); err == nil && info.Mode().IsRegular() && info.Size() <= 8<<20 {
		if data, err := fs.ReadFile(b.r.FS, p); err == nil {
			if v, loaded := b.copies.LoadOrStore(p, true); loaded {
				return v.(bool)
			}
			if err := b.out.WriteFile("files/"+p, data); err != nil {
				b.copyErr.CompareAndSwap(nil, err)
			} else {
				b.count("files/"+p, data, false)
			}
			return true
		}
	}
	b.copies.LoadOrStore(p, ok)
	return ok
}

// recordHref is the address of a record's page from a page at root ("" for pages in r/,
// "../" is never needed: root pages pass "r/"-relative roots through rootHref).
func (b *builder) recordHref(root, id string) string {
	h := b.links[id].href
	if h == "" || root == "" {
		return h
	}
	return root + h
}

// indexLinks fills b.links from the records and b.pages.
func (b *builder) indexLinks() {
	b.links = make(map[string]recordLink, len(b.r.ByID))
	for id, rec := range b.r.ByID {
		l := recordLink{rec: rec}
		if name := b.pages[id]; name != "" {
			l.href = url.PathEscape(strings.TrimSuffix(name, ".html")) + ".html"
			l.fromTop = "r/" + l.href
		}
		b.links[id] = l
	}
}

// recordLink is what a link to a record needs.
type recordLink struct {
	rec *record.Record
	// href is the address of the record's page from another record page ("" when it has
	// none), fromTop the same from the site's top folder.
	href, fromTop string
}

// title returns the title of the record with id, or "".
func (b *builder) title(id string) string {
	if rec := b.links[id].rec; rec != nil {
		return rec.Title
	}
	return ""
}

// execute writes the named page into a buffer: a record page, the matrix and the roadmap
// by compiled code (compiledPages), any other by its template. A record page's buffer
// comes from bufPool, and the record-page jobs give it back once the page is written; the
// pages that show every record share one (takeBig, putBig).
func (b *builder) execute(name string, p *pageData) ([]byte, error) {
	if page := compiledPages[name]; page != nil {
		var buf []byte
		if bigPages[name] {
			buf = b.takeBig()
		} else {
			buf = (*bufPool.Get().(*[]byte))[:0]
		}
		w := &pageWriter{htmlWriter: htmlWriter{buf: buf}, b: b}
		page(w, p)
		return w.buf, nil
	}
	buf := bytes.NewBuffer(b.takeBig())
	if err := b.tmpl.ExecuteTemplate(buf, name, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// bigPages are the compiled pages that show every record: they write into the buffer of
// the last such page (takeBig), not into a record page's.
var bigPages = map[string]bool{"matrix": true, "roadmap": true}

// takeBig returns the buffer of the last page that showed every record (see putBig), or
// nil.
func (b *builder) takeBig() []byte {
	b.bigMu.Lock()
	defer b.bigMu.Unlock()
	buf := b.big
	b.big = nil
	return buf
}

// putBig keeps the buffer of a page that showed every record, once written, for the next
// one: they run one after the other (run's pick), and a buffer that grew to the size of the
// matrix is not grown again from nothing for the roadmap.
func (b *builder) putBig(buf []byte) {
	b.bigMu.Lock()
	defer b.bigMu.Unlock()
	if cap(buf) > cap(b.big) {
		b.big = buf[:0]
	}
}

// bufPool recycles the buffers of record pages: thousands of them, written and forgotten.
var bufPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 16<<10)
	return &b
}}

// now is the site's "now": the commit time, or zero.
func (b *builder) now() time.Time { return b.opts.Source.Time }

// ReleasesOf gives evaluation-missing the release times from the site's history walk and
// its "now" (SPEC §8); nil without git history.
func ReleasesOf(opts Options) func() (func(string) (time.Time, bool), time.Time, bool) {
	if opts.History == nil || opts.Source.Time.IsZero() {
		return nil
	}
	return func() (func(string) (time.Time, bool), time.Time, bool) {
		return opts.History.ReleasedAt(vocab.IsReleased), opts.Source.Time, true
	}
}

// history returns the git history of a record, newest first, or nil.
func (b *builder) history(id string) *gitrepo.RecordHistory {
	if b.opts.History == nil {
		return nil
	}
	return b.opts.History.Records[id]
}

func (b *builder) sitemap() ([]byte, error) {
	base := strings.TrimSuffix(b.opts.BaseURL, "/") + "/"
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	names := []string{"", "requirements.html", "matrix.html", "changes.html", "roadmap.html", "pool.html"}
	for _, l := range [][]*record.Record{b.reqs, b.crs, b.accs, b.fbs} {
		for _, rec := range l {
			names = append(names, "r/"+b.recordHref("", rec.ID))
		}
	}
	for _, n := range names {
		buf.WriteString("  <url><loc>")
		template.HTMLEscape(&buf, []byte(base+n))
		buf.WriteString("</loc></url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes(), nil
}

// ErrOutputInProject is returned when the output folder would be the project root itself.
var ErrOutputInProject = errors.New("the output folder is the project root; choose a sub-folder such as public")

// joinURL joins a base address and a site path.
func joinURL(base, p string) string {
	if base == "" {
		return ""
	}
	return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(path.Clean("/"+p), "/")
}
