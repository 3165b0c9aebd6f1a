package site

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestServer(t *testing.T) {
	srv := &Server{}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	get := func(method, p string) (int, http.Header, string) {
		req, _ := http.NewRequest(method, ts.URL+p, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header, string(body)
	}
	if code, _, _ := get("GET", "/"); code != http.StatusServiceUnavailable {
		t.Errorf("before the first build: %d", code)
	}
	f := NewFiles()
	f.WriteFile("index.html", []byte("<p>home"))
	f.WriteFile("r/REQ-0001.html", []byte("<p>one"))
	f.WriteFile("assets/list.js", []byte("x"))
	srv.Set(f)
	code, h, body := get("GET", "/")
	if code != 200 || body != "<p>home" || !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") || h.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("GET / = %d %q %v", code, body, h)
	}
	if _, h, _ := get("GET", "/assets/list.js"); h.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Errorf("script type %q", h.Get("Content-Type"))
	}
	if code, _, body := get("GET", "/"+VersionPath); code != 200 || body != "1" {
		t.Errorf("version = %d %q", code, body)
	}
	for p, want := range map[string]int{"/nope.html": 404, "/../../etc/passwd": 404, "/r/../index.html": 200, "/r": 404} {
		if code, _, _ := get("GET", p); code != want {
			t.Errorf("GET %s = %d, want %d", p, code, want)
		}
	}
	if code, _, _ := get("POST", "/"); code != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d", code)
	}
	srv.Set(NewFiles())
	if _, _, body := get("GET", "/"+VersionPath); body != "2" {
		t.Errorf("version after a rebuild = %q", body)
	}
}

func TestWatch(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "reqs"), 0o755)
	os.MkdirAll(filepath.Join(dir, "public"), 0o755)
	os.WriteFile(filepath.Join(dir, "public", ManifestName), nil, 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan Change, 16)
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, dir, WatchOptions{Delay: 50 * time.Millisecond, Skip: func(d string) bool {
			_, err := os.Stat(filepath.Join(d, ManifestName))
			return err == nil
		}}, func(c Change) { changes <- c })
	}()
	// rebuilds does something until a rebuild follows, repeating it while the watcher may
	// still be starting or adding a new folder (a loaded machine can take its time).
	rebuilds := func(what string, do func()) Change {
		t.Helper()
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
			do()
			select {
			case c := <-changes:
				return c
			case <-time.After(500 * time.Millisecond):
			}
		}
		t.Errorf("%s: no rebuild", what)
		return Change{}
	}
	expect := func(what string, want bool) {
		t.Helper()
		select {
		case <-changes:
			if !want {
				t.Errorf("%s: a rebuild was triggered", what)
			}
		case <-time.After(400 * time.Millisecond):
			if want {
				t.Errorf("%s: no rebuild", what)
			}
		}
	}
	rec := filepath.Join(dir, "reqs", "REQ-0001.md")
	c := rebuilds("a new record", func() {
		os.WriteFile(rec, []byte("---\nid: REQ-0001\ntitle: x\n---\n"), 0o644)
	})
	// The change names the file written, so that only it is read again (WorkTree).
	if c.All || !slices.Contains(c.Paths, rec) {
		t.Errorf("the change of a new record is %+v, want its path %s", c, rec)
	}
	if c := rebuilds("the configuration", func() { os.WriteFile(filepath.Join(dir, "reqtrail.yaml"), []byte("project: x\n"), 0o644) }); !c.All {
		t.Errorf("the change of reqtrail.yaml is %+v, want All", c)
	}
	rebuilds("a new folder", func() { os.MkdirAll(filepath.Join(dir, "reqs", "sub"), 0o755) })
	n := 0
	rebuilds("a record in a new folder", func() {
		n++
		os.WriteFile(filepath.Join(dir, "reqs", "sub", "REQ-0002.md"), []byte(strings.Repeat("x", n)), 0o644)
	})
	// Let late events of the writes above settle, then write into the skipped folder.
	for drained := false; !drained; {
		select {
		case <-changes:
		case <-time.After(300 * time.Millisecond):
			drained = true
		}
	}
	os.WriteFile(filepath.Join(dir, "public", "index.html"), []byte("x"), 0o644)
	expect("the output folder", false)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestServerPageVersions: a record page's version moves only when its content changes; any
// other page follows every rebuild.
func TestServerPageVersions(t *testing.T) {
	srv := &Server{}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	version := func(page string) string {
		res, err := http.Get(ts.URL + "/" + VersionPath + "?page=" + page)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return string(body)
	}
	f := NewFiles()
	f.WriteFile("index.html", []byte("home"))
	f.WriteFile("r/REQ-0001.html", []byte("one"))
	f.WriteFile("r/REQ-0002.html", []byte("two"))
	srv.Set(f)
	g := f.clone()
	g.WriteFile("index.html", []byte("home 2"))
	g.WriteFile("r/REQ-0002.html", []byte("two, edited"))
	srv.Set(g)
	h := NewFiles() // a full rebuild: new bytes, same content for REQ-0001
	h.WriteFile("index.html", []byte("home 2"))
	h.WriteFile("r/REQ-0001.html", []byte("one"))
	h.WriteFile("r/REQ-0002.html", []byte("two, edited"))
	srv.Set(h)
	for page, want := range map[string]string{"r/REQ-0001.html": "1", "r/REQ-0002.html": "2", "index.html": "3", "r/REQ-0009.html": "3", "r/../r/REQ-0002.html": "2"} {
		if got := version(page); got != want {
			t.Errorf("version of %s = %s, want %s", page, got, want)
		}
	}
}
