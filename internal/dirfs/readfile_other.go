//go:build !unix

package dirfs

import (
	"io"
	"os"
)

// readFile is os.ReadFile; with limit >= 0 it reads at most limit+1 bytes.
func readFile(name string, limit int) ([]byte, error) {
	if limit < 0 {
		return os.ReadFile(name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(limit)+1))
}
