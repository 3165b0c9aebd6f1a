package site

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/corpus"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

func TestTerms(t *testing.T) {
	var got []string
	terms("Live-Chat 客户工单系统 API接口 a 1 x2 ÉCOLE", func(s string) { got = append(got, s) })
	want := []string{"live", "chat", "客户", "户工", "工单", "单系", "系统", "api", "接口", "x2", "école"}
	if !slices.Equal(got, want) {
		t.Errorf("terms = %q, want %q", got, want)
	}
}

// decodePostings mirrors the decoder of list.js.
func decodePostings(s string) []int {
	var out []int
	acc, prev := 0, 0
	for _, c := range s {
		if i := strings.IndexRune(termDigits, c); i >= 0 {
			prev += acc*32 + i
			out = append(out, prev)
			acc = 0
		} else {
			acc = acc*32 + strings.IndexRune(contDigits, c)
		}
	}
	return out
}

func TestPostings(t *testing.T) {
	for _, nums := range [][]int{{0}, {0, 1, 2}, {31, 32, 33, 1023, 1024, 99999, 1 << 22}} {
		var buf []byte
		prev := 0
		for _, n := range nums {
			buf = appendPosting(buf, n-prev)
			prev = n
		}
		if got := decodePostings(string(buf)); !slices.Equal(got, nums) {
			t.Errorf("round trip of %v gave %v (%q)", nums, got, buf)
		}
	}
}

// TestSearchIndex runs the query logic of list.js, written again in Go, over the example:
// a Chinese word found inside a longer run, an English word, a prefix.
func TestSearchIndex(t *testing.T) {
	r := loadExample(t)
	reqs := r.Parsed(record.RequirementKind)
	termList, post := searchIndex(reqs, nil, 2)
	find := func(q string) []string {
		var sets [][]int
		var run []string
		terms(q, func(term string) { run = append(run, term) })
		// Each term of the query: words match indexed words containing them; bigrams match
		// exactly.
		for _, qt := range run {
			var hits []int
			for i, tt := range termList {
				if tt == qt || (!isCJK([]rune(qt)[0]) && strings.Contains(tt, qt)) {
					hits = append(hits, decodePostings(post[i])...)
				}
			}
			slices.Sort(hits)
			sets = append(sets, slices.Compact(hits))
		}
		var ids []string
		for i := range reqs {
			ok := len(sets) > 0
			for _, s := range sets {
				if !slices.Contains(s, i) {
					ok = false
				}
			}
			if ok {
				ids = append(ids, reqs[i].ID)
			}
		}
		return ids
	}
	for q, want := range map[string]string{"转写": "REQ-0017", "transcript": "REQ-0003", "transcr": "REQ-0003"} {
		got := find(q)
		if !slices.Contains(got, want) {
			t.Errorf("search %q = %v, want it to include %s", q, got, want)
		}
	}
	if got := find("zzzqqq"); len(got) != 0 {
		t.Errorf("nonsense query found %v", got)
	}
}

// TestSearchIndexNumbersSameAsTerms: the index of a full build (terms numbered as they are
// cut, termNumbers) is the one built from each text's term list (the path serve's term cache
// takes), over the example, a generated corpus and texts where words repeat across and within
// records, in Chinese too.
func TestSearchIndexNumbersSameAsTerms(t *testing.T) {
	reqs := loadExample(t).Parsed(record.RequirementKind)
	reqs = append(reqs, repo.Load(os.DirFS(gen300(t))).Parsed(record.RequirementKind)...)
	texts := []string{"", "a a a", "Login login LOGIN 登录登录 登录", "客户工单系统 客户 工单 x2 x2", strings.Repeat("word ", 5000) + "end"}
	text := func(rec *record.Record) string {
		if i := len(rec.ID) % (len(texts) + 1); i < len(texts) && strings.HasSuffix(rec.ID, "7") {
			return texts[i]
		}
		return rec.SearchText()
	}
	for _, workers := range []int{1, 2, 3} {
		t1, p1 := searchIndexCached(reqs, text, workers, nil)
		t2, p2 := searchIndexCached(reqs, text, workers, &termCache{next: map[string][]string{}})
		if !slices.Equal(t1, t2) || !slices.Equal(p1, p2) {
			t.Fatalf("%d workers: %d terms numbered, %d from term lists; first difference at %d", workers, len(t1), len(t2), firstDiff(t1, t2))
		}
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func gen300(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "corpus")
	if err := corpus.Generate(dir, 300, corpus.Options{Seed: 3}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// FuzzSearchIndex: for any texts (cut into records at NUL bytes), the index a full build
// makes (terms numbered as they are cut) is the one built from each text's term list.
func FuzzSearchIndex(f *testing.F) {
	f.Add("Login login\x00登录登录 登录\x00a a a", uint8(2))
	f.Add("客户工单系统 客户 工单 x2 x2\x00\x00ÉCOLE école", uint8(3))
	f.Add("", uint8(1))
	f.Fuzz(func(t *testing.T, s string, workers uint8) {
		parts := strings.Split(s, "\x00")
		if len(parts) > 64 {
			parts = parts[:64]
		}
		reqs := make([]*record.Record, len(parts))
		texts := map[*record.Record]string{}
		for i, p := range parts {
			reqs[i] = &record.Record{ID: "REQ-" + string(rune('A'+i))}
			texts[reqs[i]] = p
		}
		text := func(r *record.Record) string { return texts[r] }
		w := int(workers%4) + 1
		t1, p1 := searchIndexCached(reqs, text, w, nil)
		t2, p2 := searchIndexCached(reqs, text, w, &termCache{next: map[string][]string{}})
		if !slices.Equal(t1, t2) || !slices.Equal(p1, p2) {
			t.Fatalf("numbered %q %q, from term lists %q %q", t1, p1, t2, p2)
		}
	})
}
