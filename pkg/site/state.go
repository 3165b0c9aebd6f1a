package site

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"hash/crc32"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"

	"github.com/reqtrail/reqtrail/internal/binenc"
	"github.com/reqtrail/reqtrail/pkg/record"
)

// StateName is the file, in the output folder beside the marker, that holds what a rebuild
// into the folder needs to decide which record pages it can keep: a digest of everything
// every page shows (configuration, options, revision, the set of records, the binary), and
// for each record page the blob id of its record file, the digest of its trace, the records
// it links to and its size. It is removed when a build starts and written when it finishes,
// so it never describes pages a failed build half replaced; a damaged state, or one of
// another version or binary, is ignored (every page is rendered).
const StateName = ManifestName + "-state"

// stateHeader starts a state file; the number is its format's version.
const stateHeader = "reqtrail site state 1\n"

// siteState is what a disk build leaves for the next one.
type siteState struct {
	// site is the digest of what every page shows (siteDigest).
	site [32]byte
	// pages holds, by record id, the inputs of its page.
	pages map[string]pageState
	// search is the size of data/search.js (made of the requirements' and feedback's texts
	// only: kept when none of them changed).
	search int64
}

// pageState is what a record page was rendered from.
type pageState struct {
	page string   // page file name in r/
	key  [20]byte // git blob id of the record file
	// digest is the record's trace digest (traceDigest).
	digest uint64
	// size is the page's length in bytes (the build's figures count kept pages too).
	size int64
	// files is set when the record's body shows files of the repository (images): the page
	// is rendered again every time, so that the files are copied again when they changed.
	files bool
	// linked are the ids of the records the page links to.
	linked []string
}

var errBadState = errors.New("damaged site state")

// encode returns the state file's bytes: the header, the site digest, the pages sorted by
// id, and a CRC-32 of everything before it.
func (s *siteState) encode() []byte {
	b := []byte(stateHeader)
	b = append(b, s.site[:]...)
	b = binary.AppendUvarint(b, uint64(s.search))
	ids := slices.Sorted(maps.Keys(s.pages))
	b = binary.AppendUvarint(b, uint64(len(ids)))
	for _, id := range ids {
		p := s.pages[id]
		b = binenc.AppendString(b, id)
		b = binenc.AppendString(b, p.page)
		b = append(b, p.key[:]...)
		b = binary.BigEndian.AppendUint64(b, p.digest)
		b = binary.AppendUvarint(b, uint64(p.size))
		if p.files {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(len(p.linked)))
		for _, l := range p.linked {
			b = binenc.AppendString(b, l)
		}
	}
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// decodeState reads a state file; any damage is an error (the caller then renders every page).
func decodeState(data []byte) (*siteState, error) {
	if len(data) < len(stateHeader)+32+4 || string(data[:len(stateHeader)]) != stateHeader {
		return nil, errBadState
	}
	body, sum := data[:len(data)-4], data[len(data)-4:]
	if crc32.ChecksumIEEE(body) != binary.BigEndian.Uint32(sum) {
		return nil, errBadState
	}
	s := &siteState{}
	copy(s.site[:], body[len(stateHeader):])
	r := &binenc.Reader{B: body[len(stateHeader)+32:], Bad: errBadState}
	if s.search = int64(r.Uvarint()); s.search < 0 || s.search > 1<<40 {
		return nil, errBadState
	}
	// Each page takes at least 2+20+8+1+1+1 bytes.
	n := r.Count(33)
	s.pages = make(map[string]pageState, n)
	for range n {
		id := string(r.Bytes())
		p := pageState{page: string(r.Bytes())}
		if len(r.B) < 20 {
			r.Fail()
		}
		if r.Err != nil {
			return nil, r.Err
		}
		copy(p.key[:], r.B)
		r.B = r.B[20:]
		p.digest = r.Uint64()
		size := r.Uvarint()
		if size > 1<<30 {
			r.Fail()
		}
		p.size = int64(size)
		switch r.Byte() {
		case 0:
		case 1:
			p.files = true
		default:
			r.Fail()
		}
		links := r.Count(1)
		if links > 0 {
			p.linked = make([]string, 0, links)
		}
		for range links {
			p.linked = append(p.linked, string(r.Bytes()))
		}
		if r.Err != nil {
			return nil, r.Err
		}
		// A page name is a file name in r/, and an id has one page.
		if _, dup := s.pages[id]; dup || id == "" || p.page != pageName(id) {
			return nil, errBadState
		}
		s.pages[id] = p
	}
	if r.Err != nil {
		return nil, r.Err
	}
	if len(r.B) != 0 {
		return nil, errBadState
	}
	return s, nil
}

// siteDigest hashes what every page of the site shows, or depends on, beyond its own record
// and trace: the binary, the configuration, the options, the revision and its history, and
// the set of records (id, kind, file and page of each; the blob ids of records without a
// page, whose titles other pages show). Two builds with the same digest differ only in the
// records' contents and traces, which the per-page state compares.
func (b *builder) siteDigest() [32]byte {
	h := sha256.New()
	str := func(s string) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	str(stateHeader)
	str(binaryStamp())
	cfg := b.r.Config
	if cfg.Record != nil {
		str("config")
		h.Write(cfg.Record.Raw)
	}
	h.Write([]byte{1})
	// What the configuration decoded to (a caller may adjust it after loading).
	x := *cfg
	x.Record = nil
	if j, err := json.Marshal(x); err == nil {
		h.Write(j)
	} else {
		str(err.Error())
		str(strconv.FormatInt(int64(os.Getpid()), 10)) // never equal to a later build's
	}
	h.Write([]byte{1})
	o := b.opts
	str(o.Source.Commit)
	str(strconv.FormatBool(o.Source.WorkTree))
	str(o.Source.Rev)
	str(strconv.FormatInt(o.Source.Time.UnixNano(), 10))
	str(o.BaseURL)
	str(o.GitPrefix)
	str(strconv.FormatBool(o.LiveReload))
	if o.Baseline != nil {
		str("baseline " + o.Baseline.Rev + " " + o.Baseline.Commit)
	}
	if o.History != nil {
		str("history " + strconv.FormatBool(o.History.Truncated) + " " + strconv.Itoa(o.History.Commits))
	}
	str(strconv.FormatBool(b.tr.HasResults))
	str(b.lang)
	for _, s := range b.typeOrder {
		str(s)
	}
	h.Write([]byte{1})
	ids := slices.Sorted(maps.Keys(b.r.ByID))
	for _, id := range ids {
		rec := b.r.ByID[id]
		str(id)
		str(string(rec.Kind))
		str(rec.File)
		page := b.pages[id]
		str(page)
		if page == "" {
			key := repo.BlobOf(rec)
			h.Write(key[:])
		}
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// binaryStamp names the running binary: its build information and the executable file's
// path, size and modification time, so that a rebuild by another binary (whose pages may
// differ) renders every page.
var binaryStamp = sync.OnceValue(func() string {
	s := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		s = bi.GoVersion + " " + bi.Main.Path + " " + bi.Main.Version
		for _, kv := range bi.Settings {
			s += " " + kv.Key + "=" + kv.Value
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return s + " " + err.Error() + " " + strconv.Itoa(os.Getpid())
	}
	info, err := os.Stat(exe)
	if err != nil {
		return s + " " + err.Error() + " " + strconv.Itoa(os.Getpid())
	}
	return s + " " + exe + " " + strconv.FormatInt(info.Size(), 10) + " " + strconv.FormatInt(info.ModTime().UnixNano(), 10)
})

// runDir renders the site into d: with the state of an earlier build whose site digest is
// this one's and whose records are the same, only the record pages whose record file,
// trace or linked records changed (and those showing repository files), keeping the others'
// files; else every page. It leaves the state for the next build in d.
func (b *builder) runDir(d *Dir) (Stats, error) {
	b.linked = map[string][]string{}
	b.sizes = map[string]int64{}
	b.withFiles = map[string]bool{}
	next := &siteState{site: b.siteDigest(), pages: make(map[string]pageState, len(b.pages))}
	digests := b.traceDigests()
	for id, name := range b.pages {
		rec := b.r.ByID[id]
		next.pages[id] = pageState{page: name, key: repo.BlobOf(rec), digest: digests[id]}
	}
	var only func(string) bool
	var kept []string
	if prev := d.prev; prev != nil && prev.site == next.site && len(prev.pages) == len(next.pages) {
		changed := map[string]bool{}
		same := true
		for id, p := range next.pages {
			q, ok := prev.pages[id]
			if !ok || q.page != p.page {
				same = false
				break
			}
			if q.key != p.key {
				changed[id] = true
			}
		}
		if same {
			touched := touchedPages(changed, b.pages,
				func(id string) bool { return prev.pages[id].digest != next.pages[id].digest },
				func(id string) []string { return prev.pages[id].linked })
			for _, l := range [][]*record.Record{b.reqs, b.crs, b.accs, b.fbs, b.evals} {
				for _, rec := range l {
					if touched[rec.ID] || prev.pages[rec.ID].files {
						touched[rec.ID] = true
						continue
					}
					q := prev.pages[rec.ID]
					if !d.keep("r/"+q.page, q.size) {
						touched[rec.ID] = true // gone or replaced on disk: rendered again
						continue
					}
					kept = append(kept, rec.ID)
					b.linked[q.page] = q.linked
					b.sizes[q.page] = q.size
				}
			}
			only = func(id string) bool { return touched[id] }
			searched := false
			for id := range changed {
				k := b.r.ByID[id].Kind
				searched = searched || k == record.RequirementKind || k == record.FeedbackKind
			}
			if !searched && d.keep(searchName, prev.search) {
				b.keptSearch = true
				b.stats.Files++
				b.stats.Bytes += prev.search
				b.stats.SearchBytes = prev.search
			}
		}
	}
	// The kept pages count as written: the figures are a full build's.
	b.stats.Kept = len(kept)
	for _, id := range kept {
		size := b.sizes[b.pages[id]]
		b.stats.Files++
		b.stats.Pages++
		b.stats.RecordPages++
		b.stats.Bytes += size
		b.stats.RecordBytes += size
	}
	stats, err := b.run(only)
	if err != nil {
		return stats, err
	}
	for id, p := range next.pages {
		p.linked = b.linked[p.page]
		p.size = b.sizes[p.page]
		p.files = b.withFiles[id]
		next.pages[id] = p
	}
	next.search = stats.SearchBytes
	d.next = next
	return stats, nil
}

// noteFiles records that the body of record id shows files of the repository.
func (b *builder) noteFiles(id string) {
	if b.withFiles == nil {
		return
	}
	b.linkedMu.Lock()
	b.withFiles[id] = true
	b.linkedMu.Unlock()
}
