package site

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/reqtrail/reqtrail/pkg/config"
)

// VersionPath is the address `reqtrail serve` answers with the number of the current build;
// assets/reload.js polls it and reloads the page when it changes.
const VersionPath = "__reqtrail/version"

// Server serves an in-memory site and swaps in each rebuild at once. It answers only
// requests whose Host names the loopback names (localhost, 127.0.0.1, [::1]) or the address
// it listens on, with its port: a page from elsewhere that rebinds its own DNS name to this
// machine is refused (421), so it cannot read the site.
type Server struct {
	mu      sync.RWMutex
	files   *Files
	version int
	// changed holds, for each record page, the version in which its content last changed:
	// a record page reloads only when it shows something new.
	changed map[string]int
	// port is the port the server listens on ("" accepts the loopback names on any port);
	// listenHost is the address it listens on, also accepted as a Host.
	port, listenHost string
}

// Listening tells the server the address it listens on, for the Host check.
func (s *Server) Listening(addr string) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.port = port
	if ip := net.ParseIP(host); ip != nil && !ip.IsUnspecified() {
		s.listenHost = ip.String()
	}
}

// hostAllowed reports whether a request's Host header addresses this server.
func (s *Server) hostAllowed(hostHeader string) bool {
	s.mu.RLock()
	port, listen := s.port, s.listenHost
	s.mu.RUnlock()
	host, p, err := net.SplitHostPort(hostHeader)
	if err != nil {
		host, p = hostHeader, ""
		if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
			host = host[1 : len(host)-1]
		}
	}
	if port != "" && p != port && !(p == "" && port == "80") {
		return false
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	switch host {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	if ip := net.ParseIP(host); ip != nil && listen != "" {
		return ip.String() == listen
	}
	return false
}

// Set replaces the site being served and bumps its version.
func (s *Server) Set(f *Files) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.files
	s.files = f
	s.version++
	changed := map[string]int{}
	f.mu.Lock()
	for name, data := range f.files {
		if !strings.HasPrefix(name, "r/") {
			continue
		}
		changed[name] = s.version
		if old == nil || old == f {
			continue
		}
		old.mu.Lock()
		prev, ok := old.files[name]
		old.mu.Unlock()
		if ok && sameBytes(prev, data) {
			changed[name] = s.changed[name]
		}
	}
	f.mu.Unlock()
	s.changed = changed
}

// sameBytes reports whether two files hold the same bytes (an incremental build shares the
// bytes of the pages it did not render).
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0] || bytes.Equal(a, b)
}

// pageVersion is the version a page's reload script compares: for a record page, the last
// version that changed it; for any other page (they show every record), the current one.
func (s *Server) pageVersion(page string) int {
	page = strings.TrimPrefix(path.Clean("/"+page), "/")
	if v, ok := s.changed[page]; ok {
		return v
	}
	return s.version
}

// Version returns the number of the current build (0 before the first).
func (s *Server) Version() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

// ServeHTTP serves the files of the site; a folder serves its index.html.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hostAllowed(r.Host) {
		http.Error(w, "misdirected request: this server answers only to localhost, 127.0.0.1 and [::1] (and the address it listens on)", http.StatusMisdirectedRequest)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.RLock()
	files, version := s.files, s.version
	if page := r.URL.Query().Get("page"); page != "" {
		version = s.pageVersion(page)
	}
	s.mu.RUnlock()
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == VersionPath {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(strconv.Itoa(version)))
		return
	}
	if files == nil {
		http.Error(w, "the site is being built; reload in a moment", http.StatusServiceUnavailable)
		return
	}
	if name == "" || strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	data, ok := files.Get(name)
	if !ok {
		if _, isDir := files.Get(path.Join(name, "index.html")); isDir {
			http.Redirect(w, r, "/"+name+"/", http.StatusFound)
			return
		}
		http.NotFound(w, r)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".html":
		ctype = "text/html; charset=utf-8"
		h.Set("Content-Security-Policy", csp)
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	case "":
		ctype = "application/octet-stream"
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(data)
}

// WatchOptions tune Watch.
type WatchOptions struct {
	// Skip reports folders not to watch (the output folder, dependencies); .git is watched
	// only at its top, for commits and checkouts.
	Skip func(dir string) bool
	// Delay is how long to wait for more changes before calling onChange (default 50 ms:
	// an editor's save is one burst; each further event waits again).
	Delay time.Duration
	// GitDir is the repository's .git folder, watched at its top only (HEAD, index,
	// packed-refs) so that a commit or a checkout rebuilds the site; "" for none.
	GitDir string
}

// Change is what a burst of file events touched.
type Change struct {
	// Paths are the files and folders written, created, renamed or removed.
	Paths []string
	// All is set when what changed is not known, or changes everything: events were lost,
	// git's files changed (a commit, a checkout), or the configuration did.
	All bool
}

// Watch calls onChange after files under root change, until ctx ends, with what changed.
// Bursts of events (an editor saving, a checkout) give one call. Folders created later are
// watched too.
func Watch(ctx context.Context, root string, opts WatchOptions, onChange func(Change)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	if opts.Delay <= 0 {
		opts.Delay = 50 * time.Millisecond
	}
	skip := func(dir string) bool {
		base := filepath.Base(dir)
		if dir != root && (strings.HasPrefix(base, ".") || base == "node_modules" || base == "vendor") {
			return true
		}
		return opts.Skip != nil && opts.Skip(dir)
	}
	addTree := func(dir string) {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if skip(p) {
				return filepath.SkipDir
			}
			_ = w.Add(p)
			return nil
		})
	}
	addTree(root)
	if opts.GitDir != "" {
		_ = w.Add(opts.GitDir)
	}
	var timer *time.Timer
	fire := make(chan struct{}, 1)
	var pending Change
	seen := map[string]bool{}
	note := func(p string, all bool) {
		pending.All = pending.All || all
		if !seen[p] && !pending.All {
			seen[p] = true
			pending.Paths = append(pending.Paths, p)
		}
	}
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				pending, seen = Change{}, map[string]bool{}
				onChange(Change{All: true})
			}
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			base := filepath.Base(ev.Name)
			inGit := filepath.Base(filepath.Dir(ev.Name)) == ".git"
			if inGit && base != "HEAD" && base != "index" && base != "packed-refs" {
				continue
			}
			if !inGit && (strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || strings.HasPrefix(base, ".#")) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() && !skip(ev.Name) {
					addTree(ev.Name)
				}
			}
			note(ev.Name, inGit || filepath.Join(root, config.FileName) == ev.Name)
			if timer == nil {
				timer = time.AfterFunc(opts.Delay, func() {
					select {
					case fire <- struct{}{}:
					default:
					}
				})
			} else {
				timer.Reset(opts.Delay)
			}
		case <-fire:
			c := pending
			pending, seen = Change{}, map[string]bool{}
			if c.All {
				c.Paths = nil
			}
			onChange(c)
		}
	}
}
