package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFiles makes the files durable with one syncfs of the file system that holds them
// (one call instead of an fsync per file).
func syncFiles(files []string) error {
	if len(files) == 0 {
		return nil
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
