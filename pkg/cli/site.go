package cli

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/internal/dirfs"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/gate"
	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/site"
)

// progressThreshold is the number of records above which `site` shows a progress bar on a
// terminal.
const progressThreshold = 300

// siteFlags are the options of `site` that `serve` shares.
type siteFlags struct {
	at, baseURL, diffBase string
	results               []string
}

// siteBuild is one loaded source, ready to render.
type siteBuild struct {
	repo *repo.Repo
	opts site.Options
	// results, when set, attaches test results to the graph (--results).
	results func(*graph.Graph) error
}

// historyCache keeps the last history walk, keyed by its head commit, and the last load of
// the records, for `serve`: a rebuild reads every record file again but parses only those
// whose bytes changed (repo.Options.Reuse).
type historyCache struct {
	head plumbing.Hash
	hist *gitrepo.History
	repo *repo.Repo
	// tree is the working tree, which knows the files that did not change since the last
	// load (the watcher tells it what did): only the changed ones are read again.
	tree *site.WorkTree
}

// loadWorkTree loads the records of the working tree, taking over the unchanged records of
// the last load when serving.
func (app *App) loadWorkTree(root string, cache *historyCache) *repo.Repo {
	if cache == nil || cache.repo == nil {
		r := app.LoadFS(dirfs.New(root), root)
		if cache != nil {
			cache.repo = r
			cache.tree = site.NewWorkTree(root)
			cache.tree.Loaded(r)
		}
		return r
	}
	r := repo.LoadWith(cache.tree, repo.Options{Reuse: cache.repo})
	cache.repo = r
	cache.tree.Loaded(r)
	return r
}

// prepareSite loads what a site shows: the working tree (or --at REV), the records' git
// history, "now" from the commit, and the baseline comparison.
func (app *App) prepareSite(f siteFlags, cache *historyCache) (*siteBuild, error) {
	root, _, err := app.Project("")
	if err != nil {
		return nil, err
	}
	p, err := app.openGit()
	if err != nil {
		if !errors.Is(err, gitrepo.ErrNotRepository) {
			return nil, err
		}
		if f.at != "" || f.diffBase != "" {
			return nil, Usagef("--at and --diff-base read git history, and %s is not in a git repository", root)
		}
		r := app.loadWorkTree(root, cache)
		b := &siteBuild{repo: r, opts: site.Options{Source: site.Source{WorkTree: true}, BaseURL: f.baseURL}}
		if err := app.sourceDateEpoch(&b.opts.Source); err != nil {
			return nil, err
		}
		return b, nil
	}
	defer p.Close()

	b := &siteBuild{opts: site.Options{BaseURL: f.baseURL, GitPrefix: p.prefix}}
	var head plumbing.Hash
	if f.at != "" {
		if head, err = p.resolve(f.at); err != nil {
			return nil, err
		}
		if b.repo, err = p.loadAt(head, nil); err != nil {
			return nil, err
		}
		b.opts.Source = site.Source{Commit: head.String(), Rev: f.at}
	} else {
		b.repo = app.loadWorkTree(root, cache)
		b.opts.Source = site.Source{WorkTree: true}
		if h, err := p.git.Resolve("HEAD"); err == nil {
			head = h
			b.opts.Source.Commit = h.String()
		} else if !errors.Is(err, gitrepo.ErrNoCommits) {
			return nil, err
		}
	}
	if !head.IsZero() {
		info, err := p.git.CommitInfo(head)
		if err != nil {
			return nil, err
		}
		b.opts.Source.Time = info.Committed
		if cache != nil && cache.head == head && cache.hist != nil {
			b.opts.History = cache.hist
		} else {
			// The statuses of the records just loaded need not be read again from HEAD's blobs.
			hist, err := p.git.HistoryWith(head, recordDirs(b.repo.Config, p.prefix), gitrepo.HistoryOptions{Known: site.KnownStatuses(b.repo)})
			if err != nil {
				return nil, err
			}
			b.opts.History = hist
			if cache != nil {
				cache.head, cache.hist = head, hist
			}
		}
	}
	if err := app.sourceDateEpoch(&b.opts.Source); err != nil {
		return nil, err
	}
	if f.diffBase != "" {
		bh, err := p.resolve(f.diffBase)
		if err != nil {
			return nil, err
		}
		baseRepo, err := p.loadAt(bh, b.repo)
		if err != nil {
			return nil, err
		}
		// The gate classifies the changes and finds the change requests that authorise them;
		// the site does not need its lint comparison.
		res := gate.Check(baseRepo, b.repo, gate.Options{Lint: func(*repo.Repo) []diag.Diagnostic { return nil }})
		b.opts.Baseline = &site.Baseline{Rev: f.diffBase, Commit: bh.String(), Changes: res.Changes}
	}
	return b, nil
}

// sourceDateEpoch lets SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds
// convention) set the site's "now" instead of the commit time: a site published every night
// then ages the waiting requirements, and stays reproducible.
func (app *App) sourceDateEpoch(src *site.Source) error {
	v := strings.TrimSpace(app.Getenv("SOURCE_DATE_EPOCH"))
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return Usagef("SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970-01-01", v)
	}
	src.Time = time.Unix(n, 0).UTC()
	return nil
}

// render builds the trace graph and lint findings of b and writes the site to out.
func (b *siteBuild) render(out site.Output, progress func(done, total int)) (site.Stats, error) {
	if err := b.graph(); err != nil {
		return site.Stats{}, err
	}
	b.opts.Progress = progress
	return site.Build(b.repo, out, b.opts)
}

// graph builds the trace graph and the lint findings the site shows into b.opts.
func (b *siteBuild) graph() error {
	g := graph.Load(b.repo)
	if b.results != nil {
		if err := b.results(g); err != nil {
			return err
		}
	}
	b.opts.Graph = g
	b.opts.Lint = func(r *repo.Repo) []diag.Diagnostic {
		return lint.Run(r, lint.Options{Graph: g, Releases: site.ReleasesOf(b.opts)})
	}
	return nil
}

// SiteOptions are the inputs of `reqtrail site`.
type SiteOptions struct {
	App *App
	siteFlags
	// OutDir is -o (relative to -C); "" is public/ under the project root.
	OutDir string
	// Force writes into a non-empty OutDir that holds no earlier site.
	Force bool
}

// NewCmdSite builds `reqtrail site`.
func NewCmdSite(app *App) *cobra.Command {
	o := &SiteOptions{App: app}
	cmd := &cobra.Command{
		Use:   "site [-o DIR] [--at REV] [--base-url URL] [--diff-base REV]",
		Short: "Write the static report site: dashboard, requirement list, record pages, matrix, change log, roadmap",
		Long: `Site writes the project's report site as static files (default: public/ under the project
root): a dashboard, a requirement list that filters, sorts and searches in the browser
(Chinese included), one page per requirement, change request and acceptance record, the
traceability matrix, the change-request log, a roadmap by release and the lint findings.

The site needs no server and no network: open public/index.html from disk, or publish the
folder on any static host (GitHub Pages, an S3 bucket, an intranet share). Every script is a
file of the site, and a Content-Security-Policy forbids any other.

--at REV shows the records of a git revision instead of the working tree. --diff-base REV adds
a "changes since baseline" page comparing with REV. --base-url URL is the address the site
is published at; it adds canonical links and a sitemap.

The output is deterministic: response times are measured at the commit time of the revision
shown (of HEAD for the working tree), never the clock, so the same input gives the same
files; SOURCE_DATE_EPOCH (seconds since 1970) sets that "now" explicitly, e.g. for a site
published every night. Files of an earlier build that this one no longer writes are removed (the folder's
.reqtrail-site lists them); other files in the folder are left alone.

Exit codes: 0 the site was written (whatever the lint findings); 2 it could not be.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return siteRun(o) },
	}
	cmd.Flags().StringVarP(&o.OutDir, "output", "o", "", "write the site to `DIR` (default: public/ under the project root)")
	cmd.Flags().BoolVar(&o.Force, "force", false, "write into a non-empty -o folder that holds no earlier site")
	cmd.Flags().StringVar(&o.at, "at", "", "show the records of git revision `REV` instead of the working tree")
	cmd.Flags().StringVar(&o.baseURL, "base-url", "", "the `URL` the site is published at (canonical links and sitemap.xml)")
	cmd.Flags().StringVar(&o.diffBase, "diff-base", "", "add a page of the changes since revision `REV`")
	cmd.Flags().StringSliceVar(&o.results, "results", nil, resultsFlagUsage)
	return cmd
}

// The garbage collector during `site`, unless GOGC or GOMEMLIMIT set it (userTunedGC).
// While the records load, the heap holds little but them: the collector runs at 2.5× the
// live heap (siteLoadGCPercent) instead of a dozen times over the same growing data. Once
// they are loaded, one collection measures what is live (the records, their history), and
// the build runs with a soft memory limit of siteHeapFactor times that: the pages rendered
// on every core are short-lived garbage, collected when the heap reaches the limit rather
// than at a fixed ratio of a live heap that the pages showing every record (the search
// index, the matrix) swell for a moment. At 10,000 requirements the live heap after loading
// is 37 MB (41 MB without the record cache) and the limit 111 MB: 21–23 collections instead
// of 27–31 at GOGC 50 throughout, and a peak RSS of 131–134 MB (143 MB without the cache)
// that stays there on a loaded machine, where the growth target alone let it reach
// 158–168 MB (docs/site.md, Speed).
const (
	siteLoadGCPercent = 150
	// siteHeapFactor (in tenths) is the memory limit of a build as a multiple of the heap
	// live once its records are loaded: what the trace, the state and the pages in flight add
	// to them, and room for the garbage of the pages.
	siteHeapFactor = 30
	// siteMinLimit is the least memory limit of a build: a small project's is left to the
	// growth target (GOGC 100).
	siteMinLimit = 64 << 20
)

// siteGC holds the collector's settings `site` replaced, to restore them.
type siteGC struct {
	owned   bool
	percent int
	limit   int64
}

// tuneSiteGC sets the collector for loading the records (siteLoadGCPercent) unless the user
// tuned it.
func tuneSiteGC() *siteGC {
	if userTunedGC() {
		return &siteGC{}
	}
	return &siteGC{owned: true, percent: debug.SetGCPercent(siteLoadGCPercent), limit: debug.SetMemoryLimit(-1)}
}

// loaded sets the build's memory limit from the heap live now that the records are loaded
// (siteHeapFactor), with the growth target back at its default.
func (g *siteGC) loaded() {
	if !g.owned {
		return
	}
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	var live int64
	if s[0].Value.Kind() == metrics.KindUint64 {
		live = int64(s[0].Value.Uint64())
	}
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(max(live/10*siteHeapFactor, siteMinLimit))
}

// restore puts the collector's settings back.
func (g *siteGC) restore() {
	if g.owned {
		debug.SetGCPercent(g.percent)
		debug.SetMemoryLimit(g.limit)
	}
}

func siteRun(o *SiteOptions) error {
	app := o.App
	start := app.Now()
	gc := tuneSiteGC()
	defer gc.restore()
	root, gitTop, err := app.Project("")
	if err != nil {
		return err
	}
	out, err := app.siteOutDir(o.OutDir, root, gitTop, o.Force)
	if err != nil {
		return err
	}
	b, err := app.prepareSite(o.siteFlags, nil)
	if err != nil {
		return err
	}
	gc.loaded()
	if len(o.results) > 0 {
		// Read before the output folder is made: a bad result file leaves nothing behind.
		cases, err := app.readResults(o.results)
		if err != nil {
			return err
		}
		b.results = func(g *graph.Graph) error { applyCases(g, root, gitTop, cases); return nil }
	}
	dir, err := site.NewDir(out)
	if err != nil {
		return fmt.Errorf("cannot create %s: %w", out, err)
	}
	var progress func(done, total int)
	var bar *progressbar.ProgressBar
	if len(b.repo.Records) > progressThreshold && app.IsTerminal(app.Stderr) && app.Getenv("CI") == "" {
		bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(app.Stderr),
			progressbar.OptionSetDescription("writing the site"),
			progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		progress = func(done, total int) {
			if bar.GetMax() != total {
				bar.ChangeMax(total)
			}
			_ = bar.Add(1)
		}
	}
	stats, err := b.render(dir, progress)
	if bar != nil {
		_ = bar.Finish()
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return err // a result file that cannot be read: no page was written
	}
	if err != nil {
		return fmt.Errorf("writing the site to %s: %w", out, err)
	}
	if err := dir.Finish(); err != nil {
		return fmt.Errorf("writing the site to %s: %w", out, err)
	}
	shown := app.displayPath(out)
	noun := "requirements"
	if stats.Requirements == 1 {
		noun = "requirement"
	}
	fmt.Fprintf(app.Stdout, "wrote %d pages to %s (%d %s) in %.1fs; open %s\n",
		stats.Pages, shown, stats.Requirements, noun, app.Now().Sub(start).Seconds(), path.Join(shown, "index.html"))
	return nil
}

// siteOutDir resolves -o (relative to -C) and refuses folders that would mix the site with
// the project's own files.
func (app *App) siteOutDir(outDir, root, gitTop string, force bool) (string, error) {
	out := filepath.Join(root, "public")
	if outDir != "" {
		out = outDir
		if !filepath.IsAbs(out) {
			out = filepath.Join(app.path(app.Dir), out)
		}
	}
	abs, err := filepath.Abs(app.path(out))
	if err != nil {
		return "", Usagef("-o %s: %v", outDir, err)
	}
	if filepath.Dir(abs) == abs {
		return "", Usagef("-o %s is the root of the file system; choose a folder of its own, such as %s", outDir, filepath.Join(root, "public"))
	}
	rootAbs, _ := filepath.Abs(root)
	for _, dir := range []string{rootAbs, gitTop} {
		if dir == "" {
			continue
		}
		if abs == dir || strings.HasPrefix(dir, abs+string(filepath.Separator)) {
			return "", Usagef("-o %s would write the site over the project's own files; choose a folder of its own, such as %s", outDir, filepath.Join(root, "public"))
		}
	}
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		return "", Usagef("-o %s is a file, not a folder", outDir)
	}
	if !force {
		// A folder with files of its own, and no marker of an earlier site, is someone's.
		if entries, err := os.ReadDir(abs); err == nil && len(entries) > 0 {
			if _, err := os.Lstat(filepath.Join(abs, site.ManifestName)); err != nil {
				shown := outDir
				if shown == "" {
					shown = app.displayPath(abs)
				}
				return "", Usagef("-o %s is not empty and holds no site reqtrail wrote (no %s): it may be your own files; choose an empty folder, or take it over with --force", shown, site.ManifestName)
			}
		}
	}
	return abs, nil
}
