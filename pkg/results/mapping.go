package results

import (
	"bufio"
	"bytes"
	"cmp"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/citation"
)

// Result is one test case's result as a requirement lists it: the JSON shape of a matrix
// row's results entry (SPEC §11).
type Result struct {
	Name   string  `json:"name"`
	File   string  `json:"file"`
	Status Status  `json:"status"`
	Time   float64 `json:"time"`
}

// Env is what mapping cases to requirements needs of the project.
type Env struct {
	// FS is the project root.
	FS fs.FS
	// Root and GitTop are the absolute project root and git work tree top ("" when not in
	// git): an absolute file attribute is made relative to the git top, then to the root.
	Root, GitTop string
	// TestFiles are the files under test trace: paths (project-relative, slash paths).
	TestFiles []string
	// Citations are the scan's citations (any role): a citation inside a case's function
	// verifies the requirement it names.
	Citations []citation.Citation
	// Matcher finds requirement ids in case names and classnames.
	Matcher *citation.Matcher
	// Known reports whether id names a requirement; nil accepts every id.
	Known func(id string) bool
}

// Map returns, per requirement id, the results of the cases that verify it, in the order of
// the cases. A case verifies a requirement when its name or classname cites the id (SPEC
// §4's rules), or when a citation in its file lies in its function. Within one result file
// a case that ran several times counts by its last run.
func Map(cases []Case, env Env) map[string][]Result {
	cases = lastRuns(cases)
	m := &mapper{env: env, goMod: goModule(env.FS)}
	out := map[string][]Result{}
	files := make([]string, len(cases))
	byFile := map[string][]int{}
	for i, c := range cases {
		files[i] = m.fileOf(c)
		if files[i] != "" {
			byFile[files[i]] = append(byFile[files[i]], i)
		}
	}
	// Citations by file, and each case's share of its file's citations.
	cites := map[string][]citation.Citation{}
	for _, c := range env.Citations {
		if _, ok := byFile[c.File()]; ok {
			cites[c.File()] = append(cites[c.File()], c)
		}
	}
	inFunc := make([][]string, len(cases))
	for file, idx := range byFile {
		m.assign(file, idx, cases, cites[file], inFunc)
	}
	for i, c := range cases {
		var ids []string
		add := func(id string) {
			if !slices.Contains(ids, id) && (env.Known == nil || env.Known(id)) {
				ids = append(ids, id)
			}
		}
		if env.Matcher != nil {
			for _, s := range []string{c.Name, c.Classname} {
				env.Matcher.Find([]byte(s), func(x citation.Match) { add(x.ID) })
			}
		}
		for _, id := range inFunc[i] {
			add(id)
		}
		r := Result{Name: c.Name, File: files[i], Status: c.Status, Time: c.Time}
		for _, id := range ids {
			out[id] = append(out[id], r)
		}
	}
	return out
}

// lastRuns keeps, per result file, the last run of each case (same classname and name).
func lastRuns(cases []Case) []Case {
	type key struct{ source, class, name string }
	last := make(map[key]int, len(cases))
	for i, c := range cases {
		last[key{c.Source, c.Classname, c.Name}] = i
	}
	if len(last) == len(cases) {
		return cases
	}
	out := make([]Case, 0, len(last))
	for i, c := range cases {
		if last[key{c.Source, c.Classname, c.Name}] == i {
			out = append(out, c)
		}
	}
	return out
}

// TopName is the name a case is matched by: Go's before the first "/" (subtests), pytest's
// before "[" (parameters), anything else as written.
func TopName(name string) string {
	if i := strings.IndexByte(name, '/'); i > 0 && isIdent(name[:i]) {
		name = name[:i]
	}
	if i := strings.IndexByte(name, '['); i > 0 {
		name = name[:i]
	}
	return name
}

type mapper struct {
	env   Env
	goMod goMod
	// goFiles caches, per package folder, the Go test files and their content.
	goFiles map[string][]goFile
	// suffix indexes the test files by their path without extension.
	suffix map[string][]string
}

type goFile struct {
	path string
	data []byte
}

// fileOf returns the project-relative file of a case, "" when it cannot be told.
func (m *mapper) fileOf(c Case) string {
	if c.File != "" {
		return m.relative(c.File)
	}
	if m.goMod.path != "" && c.Classname != "" && (c.Classname == m.goMod.path || strings.HasPrefix(c.Classname, m.goMod.path+"/")) {
		if f := m.goTestFile(strings.TrimPrefix(strings.TrimPrefix(c.Classname, m.goMod.path), "/"), TopName(c.Name)); f != "" {
			return f
		}
	}
	if c.Classname != "" {
		return m.classFile(c.Classname)
	}
	return ""
}

// relative makes a file attribute project-relative: an absolute path relative to the git
// top (and then to the project root), a relative one cleaned.
func (m *mapper) relative(f string) string {
	f = filepath.ToSlash(f)
	if strings.HasPrefix(f, "/") || filepath.IsAbs(filepath.FromSlash(f)) {
		for _, base := range []string{m.env.GitTop, m.env.Root} {
			if base == "" {
				continue
			}
			if rel, err := filepath.Rel(base, filepath.FromSlash(f)); err == nil && !strings.HasPrefix(rel, "..") {
				f = filepath.ToSlash(rel)
				break
			}
		}
	}
	f = path.Clean(strings.TrimPrefix(f, "./"))
	// A path relative to the git top names the project's files with the project prefix.
	if m.env.GitTop != "" && m.env.Root != "" {
		if prefix, err := filepath.Rel(m.env.GitTop, m.env.Root); err == nil && prefix != "." {
			if p := filepath.ToSlash(prefix) + "/"; strings.HasPrefix(f, p) {
				f = strings.TrimPrefix(f, p)
			}
		}
	}
	return f
}

// classFile reads classname with "." as "/" and matches it as a path suffix (extension
// dropped) of a test file, longest match first (com.acme.ChatTest, tests.test_chat.TestX).
func (m *mapper) classFile(class string) string {
	if m.suffix == nil {
		m.suffix = map[string][]string{}
		for _, f := range m.env.TestFiles {
			noExt := strings.TrimSuffix(f, path.Ext(f))
			segs := strings.Split(noExt, "/")
			for i := range segs {
				s := strings.Join(segs[i:], "/")
				m.suffix[s] = append(m.suffix[s], f)
			}
		}
	}
	parts := strings.Split(class, ".")
	for k := len(parts); k > 0; k-- {
		if fs := m.suffix[strings.Join(parts[:k], "/")]; len(fs) > 0 {
			return slices.MinFunc(fs, func(a, b string) int { return cmp.Or(len(a)-len(b), strings.Compare(a, b)) })
		}
	}
	return ""
}

// goTestFile returns the _test.go file of package folder dir (relative to go.mod's folder)
// that declares func name(.
func (m *mapper) goTestFile(dir, name string) string {
	dir = path.Join(m.goMod.dir, dir)
	if m.goFiles == nil {
		m.goFiles = map[string][]goFile{}
	}
	files, ok := m.goFiles[dir]
	if !ok {
		entries, _ := fs.ReadDir(m.env.FS, dir)
		for _, e := range entries {
			if e.Type().IsRegular() && strings.HasSuffix(e.Name(), "_test.go") {
				p := path.Join(dir, e.Name())
				if data, err := fs.ReadFile(m.env.FS, p); err == nil {
					files = append(files, goFile{p, data})
				}
			}
		}
		m.goFiles[dir] = files
	}
	decl := []byte("func " + name + "(")
	for _, f := range files {
		if bytes.Contains(f.data, decl) {
			return f.path
		}
	}
	return ""
}

// assign gives the cases idx of one file the citations of that file that lie in their
// function: from the line where the case's name first appears as a word to the next such
// line of another case; citations above the first case line go to every case.
func (m *mapper) assign(file string, idx []int, cases []Case, cites []citation.Citation, inFunc [][]string) {
	if len(cites) == 0 {
		return
	}
	data, err := fs.ReadFile(m.env.FS, file)
	if err != nil {
		return
	}
	names := map[string]int{} // top name → first line (0: not found)
	for _, i := range idx {
		names[TopName(cases[i].Name)] = 0
	}
	firstLines(data, names)
	var starts []int
	for _, l := range names {
		if l > 0 {
			starts = append(starts, l)
		}
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	first := 1 << 30
	if len(starts) > 0 {
		first = starts[0]
	}
	for _, i := range idx {
		start := names[TopName(cases[i].Name)]
		end := 1 << 30
		if k, _ := slices.BinarySearch(starts, start+1); k < len(starts) {
			end = starts[k] // the next line where another case's name first appears
		}
		for _, c := range cites {
			l := c.Line()
			if l < first || start > 0 && l >= start && l < end {
				if !slices.Contains(inFunc[i], c.ID) {
					inFunc[i] = append(inFunc[i], c.ID)
				}
			}
		}
	}
}

// firstLines sets, for each name of names, the first line where it appears as a word (no
// ASCII letter, digit or "_" right before or after it). Identifier names are looked up per
// word of each line; others (jest titles) are searched in each line.
func firstLines(data []byte, names map[string]int) {
	var phrases []string
	idents := 0
	for n := range names {
		if isIdent(n) {
			idents++
		} else if n != "" {
			phrases = append(phrases, n)
		}
	}
	slices.Sort(phrases)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 32<<20)
	left := idents + len(phrases)
	for n := 1; sc.Scan() && left > 0; n++ {
		line := sc.Bytes()
		for i := 0; i < len(line) && idents > 0; {
			if !wordByte(line[i]) {
				i++
				continue
			}
			j := i
			for j < len(line) && wordByte(line[j]) {
				j++
			}
			if l, ok := names[string(line[i:j])]; ok && l == 0 {
				names[string(line[i:j])] = n
				idents--
				left--
			}
			i = j
		}
		for _, p := range phrases {
			if names[p] == 0 && containsWord(line, p) {
				names[p] = n
				left--
			}
		}
	}
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !wordByte(s[i]) {
			return false
		}
	}
	return true
}

func containsWord(line []byte, w string) bool {
	for off := 0; ; {
		i := bytes.Index(line[off:], []byte(w))
		if i < 0 {
			return false
		}
		s, e := off+i, off+i+len(w)
		if (s == 0 || !wordByte(line[s-1])) && (e == len(line) || !wordByte(line[e])) {
			return true
		}
		off = s + 1
	}
}

func wordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// goMod is the module path and folder (project-relative) of the project's go.mod.
type goMod struct{ path, dir string }

func goModule(fsys fs.FS) goMod {
	if fsys == nil {
		return goMod{}
	}
	data, err := fs.ReadFile(fsys, "go.mod")
	if err != nil {
		return goMod{}
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "module" {
			return goMod{path: strings.Trim(f[1], `"`), dir: "."}
		}
	}
	return goMod{}
}
