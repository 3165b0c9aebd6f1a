//go:build unix

package dirfs

import (
	"io/fs"
	"syscall"

	"github.com/reqtrail/reqtrail/internal/filestat"
)

// readFile is os.ReadFile on the raw descriptor — open, fstat, read to the end, close — with
// the same errors and the same buffer: an os.File adds four fcntl calls and a poller
// registration (which fails for a regular file) to each of the 12,000 files a project of
// 10,000 requirements loads. With limit >= 0 it reads at most limit+1 bytes. With stat set,
// it also gives the file's stat data (from the same fstat), and whether it did.
func readFile(name string, limit int, stat *filestat.Stat) ([]byte, bool, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, false, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	size := 0
	statOK := false
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) == nil {
		size = int(st.Size)
		if stat != nil {
			*stat, statOK = filestat.FromSys(&st)
		}
	}
	zeroSize := size == 0
	// As os.ReadFile: one byte more, so that the read at the end finds it at EOF, and at
	// least 512 (a file of /proc claims 0 bytes).
	size++
	if size < 512 {
		size = 512
	}
	if limit >= 0 && size > limit+1 {
		size = limit + 1
	}
	data := make([]byte, 0, size)
	for {
		if limit >= 0 && len(data) > limit {
			return data, statOK, nil
		}
		end := cap(data)
		if limit >= 0 {
			end = min(end, limit+1)
		}
		n, err := syscall.Read(fd, data[len(data):end])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, false, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n <= 0 {
			return data, statOK, nil
		}
		data = data[:len(data)+n]
		if rest := cap(data) - len(data); rest == 0 || zeroSize && rest < 512 {
			d := append(data[:cap(data)], 0)
			data = d[:len(data)]
		}
	}
}
