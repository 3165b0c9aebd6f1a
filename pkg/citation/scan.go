package citation

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// The roles a trace: entry gives its files.
const (
	Impl = "impl"
	Test = "test"
)

// MaxFileSize is the largest file the scan reads; larger files are listed in
// Result.Skipped (they are data, not code).
const MaxFileSize = 32 << 20

// binarySniff is how much of a file is searched for a NUL byte to call it binary.
const binarySniff = 8 << 10

// Citation is one mention of a requirement id in a traced file.
type Citation struct {
	// ID is the cited id in canonical form (REQ-0001, even when written REQ_0001).
	ID string `json:"id"`
	// Range is where the id is written: Range.Start.File is the path relative to the project
	// root, with forward slashes; lines and columns are 1-based, columns in Unicode code
	// points; the end is just after the id.
	Range pos.Range `json:"-"`
	// Role is the role of the last trace: entry that matches the file ("impl" or "test").
	Role string `json:"role"`
}

// File returns the path of the file that cites.
func (c Citation) File() string { return c.Range.Start.File }

// Line returns the 1-based line of the citation.
func (c Citation) Line() int { return c.Range.Start.Line }

// jsonCitation is a citation's JSON shape.
type jsonCitation struct {
	ID     string `json:"id"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Role   string `json:"role"`
}

// MarshalJSON writes {"id", "file", "line", "column", "role"}.
func (c Citation) MarshalJSON() ([]byte, error) {
	s := c.Range.Start
	return json.Marshal(jsonCitation{c.ID, s.File, s.Line, s.Column, c.Role})
}

// Result is what a scan found.
type Result struct {
	// Citations of well-formed requirement ids, known or not, sorted by file, line, column.
	Citations []Citation
	// Files and Bytes count the files read and their total size.
	Files int
	Bytes int64
	// Skipped lists files over MaxFileSize, which were not read.
	Skipped []string
	// Errors holds the files and folders that could not be read; the scan went on without
	// them.
	Errors []error
}

// File is one file a scan reads, with its role.
type File struct {
	Path string
	Role string
}

// Scan finds every requirement id cited in the files under cfg.Trace of fsys (the project
// root), reading the files on all cores. It never fails: unreadable files are listed in
// Result.Errors. With no trace: entries the result is empty.
func Scan(fsys fs.FS, cfg *config.Config) *Result {
	res := &Result{}
	if len(cfg.Trace) == 0 {
		return res
	}
	k := cfg.Kinds[record.RequirementKind]
	m := NewMatcher(k.Prefix, k.Digits)

	files := make(chan File, 256)
	var walkErrs []error
	go func() {
		walkErrs = Walk(fsys, cfg, func(f File) { files <- f })
		close(files)
	}()

	type fileResult struct {
		path      string
		citations []Citation
	}
	type workerResult struct {
		files   []fileResult
		n       int
		bytes   int64
		skipped []string
		errs    []error
	}
	workers := runtime.GOMAXPROCS(0)
	results := make([]workerResult, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			out := &results[w]
			var buf bytes.Buffer
			ids := map[string]string{}
			for f := range files {
				data, err := readFile(fsys, f.Path, &buf)
				switch {
				case errors.Is(err, errTooLarge):
					out.skipped = append(out.skipped, f.Path)
					continue
				case err != nil:
					out.errs = append(out.errs, err)
					continue
				}
				out.n++
				out.bytes += int64(len(data))
				if bytes.IndexByte(data[:min(len(data), binarySniff)], 0) >= 0 {
					continue // binary
				}
				var cs []Citation
				m.find(data, ids, func(x Match) {
					cs = append(cs, Citation{ID: x.ID, Range: x.Range(f.Path), Role: f.Role})
				})
				if len(cs) > 0 {
					out.files = append(out.files, fileResult{f.Path, cs})
				}
			}
		})
	}
	wg.Wait()

	var all []fileResult
	n := 0
	for _, r := range results {
		all = append(all, r.files...)
		for _, f := range r.files {
			n += len(f.citations)
		}
		res.Files += r.n
		res.Bytes += r.bytes
		res.Skipped = append(res.Skipped, r.skipped...)
		res.Errors = append(res.Errors, r.errs...)
	}
	res.Errors = append(walkErrs, res.Errors...)
	slices.SortFunc(all, func(a, b fileResult) int { return strings.Compare(a.path, b.path) })
	res.Citations = make([]Citation, 0, n)
	for _, f := range all {
		res.Citations = append(res.Citations, f.citations...)
	}
	slices.Sort(res.Skipped)
	return res
}

var errTooLarge = errors.New("file too large")

// readFile reads name into buf (reused between files) and returns its content, which stays
// valid until the next call.
func readFile(fsys fs.FS, name string, buf *bytes.Buffer) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf.Reset() // no Stat: the buffer is reused, and a syscall per file is worth saving
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, unwrap(err))
	}
	if buf.Len() > MaxFileSize {
		return nil, errTooLarge
	}
	return buf.Bytes(), nil
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// alwaysSkipped are folder names never scanned.
var alwaysSkipped = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// Walk calls fn, in path order, for every file a scan of cfg.Trace reads: regular files
// under the trace: paths, outside the record folders, the site's output folder (public/
// and any folder holding the site marker), .git, node_modules and vendor, not ignored by a
// .gitignore, each with the role of the last trace: entry that matches it. A trace: path
// that is, or lies inside, a symbolic link is not followed. It returns the folders that
// could not be read.
func Walk(fsys fs.FS, cfg *config.Config, fn func(File)) []error {
	entries := make([]entry, 0, len(cfg.Trace))
	for _, t := range cfg.Trace {
		entries = append(entries, newEntry(t))
	}
	excluded := map[string]bool{config.SiteDir: true}
	for _, k := range record.AllKinds() {
		if d := cfg.Kinds[k].Dir; d != "." && d != "" {
			excluded[d] = true
		}
	}
	ig := &ignorer{fsys: fsys, dirs: map[string]gitignore.Matcher{}, patterns: map[string][]gitignore.Pattern{}}

	var errs []error
	for _, root := range walkRoots(entries) { // disjoint: no file is seen twice
		if link := symlinkIn(fsys, root); link != "" {
			errs = append(errs, fmt.Errorf("trace path %s: %s is a symbolic link, not followed (a trace path must lie inside the project)", root, link))
			continue
		}
		info, err := fs.Stat(fsys, root)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue // a trace: path that does not exist cites nothing
		}
		if root != "." && (skipPath(root, excluded) || siteInside(fsys, root) || ig.ignored(root, info.IsDir())) {
			continue
		}
		if !info.IsDir() {
			if info.Mode().IsRegular() {
				if role, ok := roleOf(entries, root); ok {
					fn(File{root, role})
				}
			}
			continue
		}
		err = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, err)
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != root && (alwaysSkipped[d.Name()] || excluded[p] || ig.ignored(p, true)) {
					return fs.SkipDir
				}
				if isSite(fsys, p) {
					return fs.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() || d.Name() == ".gitignore" || ig.ignored(p, false) {
				return nil
			}
			if role, ok := roleOf(entries, p); ok {
				fn(File{p, role})
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// isSite reports whether folder p holds the site marker: a site reqtrail wrote.
func isSite(fsys fs.FS, p string) bool {
	_, err := fs.Stat(fsys, path.Join(p, config.SiteMarker))
	return err == nil
}

// siteInside reports whether p is inside (or is) a folder holding the site marker.
func siteInside(fsys fs.FS, p string) bool {
	for d := p; d != "." && d != "/"; d = path.Dir(d) {
		if isSite(fsys, d) {
			return true
		}
	}
	return false
}

// symlinkIn returns the first element of the slash path p that is a symbolic link, or "".
// Sources that cannot tell (no ReadLinkFS) report none: a git tree never follows links.
func symlinkIn(fsys fs.FS, p string) string {
	if p == "." {
		return ""
	}
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		return ""
	}
	parts := strings.Split(p, "/")
	for i := range parts {
		q := strings.Join(parts[:i+1], "/")
		info, err := fs.Lstat(fsys, q)
		if err != nil {
			return ""
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return q
		}
	}
	return ""
}

// skipPath reports whether any folder of p is never scanned or a record folder.
func skipPath(p string, excluded map[string]bool) bool {
	for d := p; d != "." && d != "/"; d = path.Dir(d) {
		if alwaysSkipped[path.Base(d)] || excluded[d] {
			return true
		}
	}
	return false
}

// entry is one trace: entry, compiled.
type entry struct {
	path string
	role string
	glob []string // pattern segments when path is a glob
}

func newEntry(t config.Trace) entry {
	e := entry{path: t.Path, role: t.Role}
	if strings.ContainsAny(t.Path, "*?[") {
		e.glob = strings.Split(t.Path, "/")
	}
	return e
}

// root is the folder a walk for e starts from.
func (e entry) root() string {
	if e.glob == nil {
		return e.path
	}
	if len(e.glob) == 1 {
		return "." // a bare name pattern matches at any depth
	}
	var static []string
	for _, s := range e.glob {
		if strings.ContainsAny(s, "*?[") {
			break
		}
		static = append(static, s)
	}
	if len(static) == 0 {
		return "."
	}
	return strings.Join(static, "/")
}

// matches reports whether file p (a slash path) falls under e: a folder entry matches the
// files under it (or the file it names); a glob matches a file whose path, or one of whose
// folders, it matches — with "**" standing for any number of folders, and a pattern with
// no "/" matching a name at any depth.
func (e entry) matches(p string) bool {
	if e.glob == nil {
		return e.path == "." || p == e.path || strings.HasPrefix(p, e.path+"/")
	}
	segs := strings.Split(p, "/")
	if len(e.glob) == 1 {
		for _, s := range segs {
			if ok, _ := path.Match(e.glob[0], s); ok {
				return true
			}
		}
		return false
	}
	for i := 1; i <= len(segs); i++ {
		if matchSegs(e.glob, segs[:i]) {
			return true
		}
	}
	return false
}

func matchSegs(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for len(pat) > 0 && pat[0] == "**" {
				pat = pat[1:]
			}
			if len(pat) == 0 {
				return true
			}
			for i := range len(segs) + 1 {
				if matchSegs(pat, segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

// roleOf returns the role of the last entry that matches p.
func roleOf(entries []entry, p string) (string, bool) {
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].matches(p) {
			return entries[i].role, true
		}
	}
	return "", false
}

// walkRoots returns the distinct folders the walk starts from, none inside another.
func walkRoots(entries []entry) []string {
	var roots []string
	for _, e := range entries {
		roots = append(roots, e.root())
	}
	slices.Sort(roots)
	roots = slices.Compact(roots)
	var out []string
	for _, r := range roots {
		inside := slices.ContainsFunc(out, func(o string) bool {
			return o == "." || strings.HasPrefix(r, o+"/")
		})
		if !inside {
			out = append(out, r)
		}
	}
	return out
}

// ignorer answers whether a path is ignored by the .gitignore files of its folders, read
// through the fs.FS and cached per folder.
type ignorer struct {
	fsys     fs.FS
	dirs     map[string]gitignore.Matcher
	patterns map[string][]gitignore.Pattern
}

// ignored reports whether p is ignored by the .gitignore files of the folders above it.
func (ig *ignorer) ignored(p string, isDir bool) bool {
	m := ig.matcher(path.Dir(p))
	return m != nil && m.Match(strings.Split(p, "/"), isDir)
}

func (ig *ignorer) matcher(dir string) gitignore.Matcher {
	if m, ok := ig.dirs[dir]; ok {
		return m
	}
	ps := ig.patternsOf(dir)
	var m gitignore.Matcher
	if len(ps) > 0 {
		m = gitignore.NewMatcher(ps)
	}
	ig.dirs[dir] = m
	return m
}

// patternsOf returns the patterns that apply inside dir, in increasing priority.
func (ig *ignorer) patternsOf(dir string) []gitignore.Pattern {
	if ps, ok := ig.patterns[dir]; ok {
		return ps
	}
	var ps []gitignore.Pattern
	var domain []string
	if dir != "." {
		ps = ig.patternsOf(path.Dir(dir))
		domain = strings.Split(dir, "/")
	}
	if data, err := fs.ReadFile(ig.fsys, path.Join(dir, ".gitignore")); err == nil {
		ps = slices.Clip(ps)
		for line := range strings.SplitSeq(string(data), "\n") {
			line = strings.TrimSuffix(line, "\r")
			if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
				continue
			}
			ps = append(ps, gitignore.ParsePattern(line, domain))
		}
	}
	ig.patterns[dir] = ps
	return ps
}

// Sort sorts citations by file, line, column and id.
func Sort(cs []Citation) {
	slices.SortFunc(cs, func(a, b Citation) int {
		return cmp.Or(pos.Compare(a.Range.Start, b.Range.Start), strings.Compare(a.ID, b.ID))
	})
}
