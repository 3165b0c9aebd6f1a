// Package floor is the floor of reqtrail's speed targets: read every record file and decode
// its front matter with yaml.v3, on all cores — the least any linter must do. Files are read
// as the commands read them (dirfs: the raw descriptor). Benchmarks state their ratios to it.
package floor

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/internal/dirfs"
)

// Files lists the Markdown files below dir, slash-separated and relative to it.
func Files(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	return files, err
}

// Run reads each of files below dir and decodes its front matter into a yaml.Node, on
// GOMAXPROCS goroutines; it returns the first error.
func Run(dir string, files []string) error {
	fsys := dirfs.New(dir)
	ch := make(chan string, len(files))
	for _, f := range files {
		ch <- f
	}
	close(ch)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range ch {
				data, err := fsys.ReadFile(f)
				if err == nil {
					parts := bytes.SplitN(data, []byte("\n---\n"), 2)
					var n yaml.Node
					err = yaml.Unmarshal(bytes.TrimPrefix(parts[0], []byte("---\n")), &n)
				}
				if err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}
