package site

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// The search index is an inverted index loaded by the requirement list through a <script
// src> file (a browser refuses fetch from file://), only when a search is typed.
//
// Terms: text is lower-cased and cut into runs of letters and digits; a run of Han, kana or
// Hangul characters — scripts written without spaces between words — gives its character
// bigrams (a single character stays a unigram), any other run is one word. A query is cut the
// same way: a word matches every indexed word that contains it (so "transcr" finds
// "transcript"), a CJK run matches the records that hold all its bigrams (so 工单 is found
// inside 客户工单系统), and every part of a query must match.
//
// Postings are record numbers (rows of data/requirements.js), delta-coded as base-32 digits,
// the last digit of a number from one alphabet and the others from a second, with no separators.

const (
	termDigits = "0123456789abcdefghijklmnopqrstuv"
	contDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_"
	// maxIndexedRunes bounds the text indexed per requirement.
	maxIndexedRunes = 20000
	// maxWordRunes bounds the length of an indexed word.
	maxWordRunes = 32
)

// isCJK reports whether r belongs to a script written without spaces between words.
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// isWordRune reports whether r belongs to a word: a letter, a digit or a combining mark.
func isWordRune(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokenizer cuts text into index terms, each once, reusing its buffers between texts.
type tokenizer struct {
	word  []byte // the current word, lower-cased
	wordN int    // its length in runes
	cjk   []rune // the current run of CJK characters
	seen  map[string]struct{}
	out   []string
	// num, when set, takes the terms instead of seen and out (see termNumbers).
	num *termNumbers
}

func (tk *tokenizer) emit(b []byte) {
	if tk.num != nil {
		tk.num.add(b)
		return
	}
	if _, ok := tk.seen[string(b)]; ok {
		return
	}
	t := string(b)
	tk.seen[t] = struct{}{}
	tk.out = append(tk.out, t)
}

func (tk *tokenizer) flushWord() {
	if tk.wordN >= 2 {
		tk.emit(tk.word)
	}
	tk.word, tk.wordN = tk.word[:0], 0
}

func (tk *tokenizer) flushCJK() {
	var pair [8]byte
	switch len(tk.cjk) {
	case 0:
	case 1:
		tk.emit(utf8.AppendRune(pair[:0], tk.cjk[0]))
	default:
		for i := 0; i+1 < len(tk.cjk); i++ {
			tk.emit(utf8.AppendRune(utf8.AppendRune(pair[:0], tk.cjk[i]), tk.cjk[i+1]))
		}
	}
	tk.cjk = tk.cjk[:0]
}

// run returns the distinct terms of s in the order they first appear; the slice is reused
// by the next call.
func (tk *tokenizer) run(s string) []string {
	if tk.seen == nil {
		tk.seen = map[string]struct{}{}
	}
	clear(tk.seen)
	tk.out = tk.out[:0]
	tk.cut(s)
	return tk.out
}

// termNumbers numbers the terms one worker meets, each string made once, and collects the
// numbers of one text's distinct terms in the order they first appear: no string and no
// set per text and term (10,000 requirements hold ~700,000 such terms).
type termNumbers struct {
	number map[string]int32
	terms  []string
	seenIn []int32 // per term number: the last text (numbered from 1) that had it
	text   int32
	ids    []int32
}

func (tn *termNumbers) add(b []byte) { addTerm(tn, b) }

// addTerm numbers term t (its string is made only when t is new to the worker) and adds the
// number to the text's when the text has not had it yet.
func addTerm[T string | []byte](tn *termNumbers, t T) {
	id, ok := tn.number[string(t)]
	if !ok {
		s := string(t)
		id = int32(len(tn.terms))
		tn.number[s] = id
		tn.terms = append(tn.terms, s)
		tn.seenIn = append(tn.seenIn, 0)
	}
	if tn.seenIn[id] == tn.text {
		return
	}
	tn.seenIn[id] = tn.text
	tn.ids = append(tn.ids, id)
}

// startText begins the next text's numbers.
func (tn *termNumbers) startText() {
	tn.text++
	tn.ids = tn.ids[:0]
}

// numbers returns the numbers of the distinct terms of s, in the order they first appear
// (a new slice).
func (tk *tokenizer) numbers(s string) []int32 {
	tk.num.startText()
	tk.cut(s)
	return slices.Clone(tk.num.ids)
}

// numbersOf returns the numbers of terms, a text's distinct terms (a new slice).
func (tn *termNumbers) numbersOf(terms []string) []int32 {
	tn.startText()
	for _, t := range terms {
		addTerm(tn, t)
	}
	return slices.Clone(tn.ids)
}

// cut emits the terms of s.
func (tk *tokenizer) cut(s string) {
	n := 0
	for _, r := range s {
		if n++; n > maxIndexedRunes {
			break
		}
		switch {
		case r < 0x80 && isWordRune(r):
			if len(tk.cjk) > 0 {
				tk.flushCJK()
			}
			if tk.wordN < maxWordRunes {
				if r >= 'A' && r <= 'Z' {
					r += 'a' - 'A'
				}
				tk.word = append(tk.word, byte(r))
				tk.wordN++
			}
		case r >= 0x80 && isCJK(r):
			if tk.wordN > 0 || len(tk.word) > 0 {
				tk.flushWord()
			}
			tk.cjk = append(tk.cjk, r)
		case r >= 0x80 && isWordRune(r):
			if len(tk.cjk) > 0 {
				tk.flushCJK()
			}
			if tk.wordN < maxWordRunes {
				tk.word = utf8.AppendRune(tk.word, unicode.ToLower(r))
				tk.wordN++
			}
		default:
			tk.flushWord()
			tk.flushCJK()
		}
	}
	tk.flushWord()
	tk.flushCJK()
}

// terms calls add for every distinct index term of s.
func terms(s string, add func(string)) {
	var tk tokenizer
	for _, t := range tk.run(s) {
		add(t)
	}
}

// appendPosting appends the delta-coded number v.
func appendPosting(dst []byte, v int) []byte {
	var tmp [8]byte
	i := len(tmp) - 1
	tmp[i] = termDigits[v&31]
	v >>= 5
	for v > 0 {
		i--
		tmp[i] = contDigits[v&31]
		v >>= 5
	}
	return append(dst, tmp[i:]...)
}

// searchIndex builds the index of reqs (in list order), each record's text given by text
// (nil: record.SearchText). The text of the records is cut into terms on every core; the
// postings are then merged in record order.
func searchIndex(reqs []*record.Record, text func(*record.Record) string, workers int) (termList []string, postings []string) {
	return searchIndexCached(reqs, text, workers, nil)
}

// termCache keeps the terms of each text of the last build (Incremental): a rebuild cuts
// only the texts that changed.
type termCache struct {
	last, next map[string][]string
	mu         sync.Mutex
}

// searchIndexCached is searchIndex taking the terms of unchanged texts from cache (nil:
// none).
func searchIndexCached(reqs []*record.Record, text func(*record.Record) string, workers int, cache *termCache) (termList []string, postings []string) {
	if text == nil {
		text = (*record.Record).SearchText
	}
	// Each worker numbers the terms it meets; a record keeps the numbers of its terms (4
	// bytes each, instead of a string per term and record: 10,000 records hold ~700,000).
	type recTerms struct {
		worker int
		ids    []int32
	}
	perRec := make([]recTerms, len(reqs))
	nw := max(1, min(workers, len(reqs)))
	workerTerms := make([][]string, nw)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range nw {
		wg.Go(func() {
			tn := &termNumbers{number: map[string]int32{}}
			var tk tokenizer
			if cache == nil {
				tk.num = tn // the terms go straight into tn as they are cut
			}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(reqs) {
					break
				}
				s := text(reqs[i])
				if cache == nil {
					perRec[i] = recTerms{w, tk.numbers(s)}
					continue
				}
				ts, ok := cache.last[s]
				if !ok {
					ts = slices.Clone(tk.run(s))
				}
				cache.mu.Lock()
				cache.next[s] = ts
				cache.mu.Unlock()
				perRec[i] = recTerms{w, tn.numbersOf(ts)}
			}
			workerTerms[w] = tn.terms
		})
	}
	wg.Wait()
	// One number per distinct term over all workers (a map lookup per worker's term, not
	// per record and term), then the postings in record order.
	global := map[string]int32{}
	var names []string
	remap := make([][]int32, nw)
	for w, ts := range workerTerms {
		remap[w] = make([]int32, len(ts))
		for k, t := range ts {
			id, ok := global[t]
			if !ok {
				id = int32(len(names))
				global[t] = id
				names = append(names, t)
			}
			remap[w][k] = id
		}
	}
	post := make([][]int32, len(names))
	for i, rt := range perRec {
		m := remap[rt.worker]
		for _, id := range rt.ids {
			g := m[id]
			post[g] = append(post[g], int32(i))
		}
	}
	order := make([]int32, 0, len(names))
	for g := range names {
		if len(post[g]) > 0 {
			order = append(order, int32(g))
		}
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(names[a], names[b]) })
	termList = make([]string, len(order))
	postings = make([]string, len(order))
	var buf []byte
	for i, g := range order {
		termList[i] = names[g]
		buf = buf[:0]
		prev := int32(0)
		for _, n := range post[g] {
			buf = appendPosting(buf, int(n-prev))
			prev = n
		}
		postings[i] = string(buf)
	}
	return termList, postings
}

// searchData writes data/search.js.
func (b *builder) searchData() ([]byte, error) {
	// A requirement is found by its own text and by that of the feedback supporting it.
	t, p := searchIndexCached(b.reqs, func(rec *record.Record) string {
		if n := b.tr.graph.Node(rec.ID); n != nil && n.Record == rec {
			return n.SearchText()
		}
		return rec.SearchText()
	}, b.workers(), b.terms)
	return jsAssign("RT_SEARCH", struct {
		N     int      `json:"n"`
		Terms []string `json:"t"`
		Post  []string `json:"p"`
	}{len(b.reqs), t, p})
}

// jsAssign renders `window.NAME=<json>;` — JSON escapes <, >, &, U+2028 and U+2029, so the
// file is valid JavaScript whatever the records hold.
func jsAssign(name string, v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(data) + 32)
	buf.WriteString("window." + name + "=")
	buf.Write(data)
	buf.WriteString(";\n")
	return buf.Bytes(), nil
}

// listData writes data/requirements.js: one row per requirement, for the list page.
func (b *builder) listData() ([]byte, error) {
	type data struct {
		Cols   []string            `json:"cols"`
		Rows   [][]any             `json:"rows"`
		Labels map[string]string   `json:"labels"`
		Order  map[string][]string `json:"order"`
		Text   map[string]string   `json:"text"`
	}
	d := data{
		Cols:   []string{"id", "title", "status", "type", "priority", "urgency", "release", "owner", "coverage", "due", "ice", "tag"},
		Rows:   make([][]any, 0, len(b.reqs)),
		Labels: map[string]string{},
		Order: map[string][]string{
			"status": statusOrder, "type": b.typeOrder, "priority": moscowOrder,
			"urgency": urgencyOrder, "coverage": coverageStates,
		},
		Text: map[string]string{},
	}
	for _, rec := range b.reqs {
		q := rec.Req
		tags := q.Tags
		if tags == nil {
			tags = []string{}
		}
		d.Rows = append(d.Rows, []any{rec.ID, rec.Title, q.Status, q.Type, q.MoSCoW, q.Urgency, q.Release, q.Owner,
			b.tr.Coverage[rec.ID], q.Due, q.ICE.Score(), tags})
	}
	for _, l := range [][]string{statusOrder, b.typeOrder, moscowOrder, urgencyOrder, coverageStates, {unset}} {
		for _, v := range l {
			if t := b.t(v); t != v {
				d.Labels[v] = t
			}
		}
	}
	for _, k := range []string{"No requirement matches.", "Show all", "Loading the search index…", "of", "requirements"} {
		d.Text[k] = b.t(k)
	}
	return jsAssign("RT_LIST", d)
}
