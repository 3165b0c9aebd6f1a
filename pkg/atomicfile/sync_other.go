//go:build !linux

package atomicfile

import "os"

// syncFiles makes the files durable, one fsync each.
func syncFiles(files []string) error {
	for _, name := range files {
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
