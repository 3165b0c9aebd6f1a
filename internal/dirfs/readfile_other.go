//go:build !unix

package dirfs

import (
	"io"
	"os"

	"github.com/reqtrail/reqtrail/internal/filestat"
)

// readFile reads name, at most limit+1 bytes with limit >= 0; it gives no stat data here.
func readFile(name string, limit int, _ *filestat.Stat) ([]byte, bool, error) {
	if limit < 0 {
		data, err := os.ReadFile(name)
		return data, false, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	return data, false, err
}
