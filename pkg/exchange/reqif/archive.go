package reqif

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
)

// Archive limits (SPEC §9).
const (
	MaxEntries      = 10000
	MaxUncompressed = 1 << 30
	MaxRatio        = 100
)

// Open reads a .reqif or .reqifz file from disk.
func Open(name string) (*Package, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if n == 4 && string(head) == "PK\x03\x04" {
		return ReadArchive(f, st.Size(), path.Base(name))
	}
	// Read whole (the fast tokenizer works on bytes; the file is released once parsed).
	data := make([]byte, st.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	doc, err := ParseBytes(data, path.Base(name))
	if err != nil {
		return nil, err
	}
	return &Package{Files: []string{path.Base(name)}, Documents: []*Document{doc}}, nil
}

// Read parses a .reqif or .reqifz held in memory.
func Read(data []byte, name string) (*Package, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ReadArchive(bytes.NewReader(data), int64(len(data)), name)
	}
	doc, err := ParseBytes(data, name)
	if err != nil {
		return nil, err
	}
	return &Package{Files: []string{name}, Documents: []*Document{doc}}, nil
}

// ReadArchive reads a .reqifz: every .reqif file in it (in name order) and every other file
// as an attachment, within the archive limits. __MACOSX folders and .DS_Store files are
// ignored.
func ReadArchive(ra io.ReaderAt, size int64, name string) (*Package, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable zip archive: %v", name, err)
	}
	if len(zr.File) > MaxEntries {
		return nil, fmt.Errorf("%s: %d entries; an archive may hold at most %d", name, len(zr.File), MaxEntries)
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	p := &Package{}
	var total uint64
	for _, f := range files {
		n := strings.ReplaceAll(f.Name, `\`, "/")
		if f.FileInfo().IsDir() || strings.HasPrefix(n, "__MACOSX/") || path.Base(n) == ".DS_Store" {
			continue
		}
		data, err := readEntry(f, name, &total)
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(path.Ext(n), ".reqif") {
			doc, err := ParseBytes(data, name+"!"+n)
			if err != nil {
				return nil, err
			}
			p.Files = append(p.Files, n)
			p.Documents = append(p.Documents, doc)
			continue
		}
		p.Attachments = append(p.Attachments, Attachment{Name: path.Clean(n), Data: data})
	}
	if len(p.Documents) == 0 {
		return nil, fmt.Errorf("%s: the archive holds no .reqif file", name)
	}
	return p, nil
}

var errBomb = errors.New("archive limit")

func readEntry(f *zip.File, name string, total *uint64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read %s: %v", name, f.Name, err)
	}
	defer rc.Close()
	// At most MaxRatio times the compressed size (with a small floor, so a tiny entry of
	// repetitive XML is not mistaken for a bomb), and what is left of the total.
	limit := f.CompressedSize64 * MaxRatio
	limit = max(limit, 64<<10)
	limit = min(limit, uint64(MaxUncompressed)-*total)
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(rc, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read %s: %v", name, f.Name, err)
	}
	if uint64(n) > limit {
		if *total+uint64(n) > MaxUncompressed {
			return nil, fmt.Errorf("%s: more than %d bytes uncompressed in all (archive bomb?): %w", name, MaxUncompressed, errBomb)
		}
		return nil, fmt.Errorf("%s: %s expands more than %d times (archive bomb?): %w", name, f.Name, MaxRatio, errBomb)
	}
	*total += uint64(n)
	return buf.Bytes(), nil
}
