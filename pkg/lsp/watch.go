package lsp

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// skippedDirs are never watched: they hold no records and no traced files reqtrail reads.
var skippedDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".vscode": true}

// watch watches every folder under root (the server's fallback when the client does not
// send workspace/didChangeWatchedFiles) and calls changed with the slash paths, relative
// to root, of files that changed, in batches.
func watch(root string, changed func([]string)) (io.Closer, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	add := func(dir string) {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if p != root && (skippedDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			_ = w.Add(p)
			return nil
		})
	}
	add(root)
	var once sync.Once
	done := make(chan struct{})
	go func() {
		pending := map[string]bool{}
		var tick <-chan time.Time
		for {
			select {
			case <-done:
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if ev.Has(fsnotify.Create) {
					if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
						add(ev.Name)
					}
				}
				rel, err := filepath.Rel(root, ev.Name)
				if err != nil || strings.HasPrefix(rel, "..") {
					continue
				}
				pending[filepath.ToSlash(rel)] = true
				if tick == nil {
					tick = time.After(50 * time.Millisecond)
				}
			case <-w.Errors:
			case <-tick:
				tick = nil
				files := make([]string, 0, len(pending))
				for f := range pending {
					files = append(files, f)
				}
				clear(pending)
				changed(files)
			}
		}
	}()
	return closer(func() error {
		once.Do(func() { close(done) })
		return w.Close()
	}), nil
}

type closer func() error

func (c closer) Close() error { return c() }
