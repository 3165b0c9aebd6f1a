package repo

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
)

// ValidCache remembers which front matters passed schema validation, keyed by a digest of
// the schema and the front matter's bytes, so an unchanged record is not validated again.
// Validation is a pure function of those two, so a hit can never hide a finding. The zero
// value is not usable; use NewValidCache or LoadValidCache.
type ValidCache struct {
	mu    sync.Mutex
	old   map[[16]byte]bool
	used  map[[16]byte]bool
	dirty bool
}

// NewValidCache returns an empty cache.
func NewValidCache() *ValidCache {
	return &ValidCache{old: map[[16]byte]bool{}, used: map[[16]byte]bool{}}
}

const cacheMagic = "reqtrail-valid-cache-v1\n"

// LoadValidCache reads a cache file; a missing or corrupt file gives an empty cache.
func LoadValidCache(path string) *ValidCache {
	c := NewValidCache()
	f, err := os.Open(path)
	if err != nil {
		return c
	}
	defer f.Close()
	br := bufio.NewReader(f)
	magic := make([]byte, len(cacheMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != cacheMagic {
		return c
	}
	var k [16]byte
	for {
		if _, err := io.ReadFull(br, k[:]); err != nil {
			break
		}
		c.old[k] = true
	}
	return c
}

// Save writes the keys seen in this run (valid ones only) to path, atomically, when they
// differ from what was loaded.
func (c *ValidCache) Save(path string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty && len(c.used) == len(c.old) {
		return nil
	}
	buf := make([]byte, 0, len(cacheMagic)+16*len(c.used))
	buf = append(buf, cacheMagic...)
	for k := range c.used {
		buf = append(buf, k[:]...)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, buf, 0o644)
}

func cacheKey(schemaKey string, front []byte) [16]byte {
	h := sha256.New()
	h.Write([]byte(schemaKey))
	h.Write([]byte{0})
	h.Write(front)
	var k [16]byte
	copy(k[:], h.Sum(nil))
	return k
}

// valid reports whether key is known to be valid, and marks it used.
func (c *ValidCache) valid(k [16]byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.used[k] {
		return true
	}
	if c.old[k] {
		c.used[k] = true
		return true
	}
	return false
}

func (c *ValidCache) add(k [16]byte) {
	c.mu.Lock()
	c.used[k] = true
	c.dirty = true
	c.mu.Unlock()
}

// CachePath returns where the cache of the project at root lives: the user's cache folder,
// one file per project. It returns "" when no cache folder is available.
func CachePath(root string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(dir, "reqtrail", "valid-"+hex.EncodeToString(sum[:8]))
}
