// Package lsp is reqtrail's language server: the Language Server Protocol over a stream
// (stdio), serving lint diagnostics on unsaved buffers, completion, hover, navigation, code
// actions and symbols from the same loader, rules and trace graph as the command line.
package lsp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/project"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// Options configure a server.
type Options struct {
	// Dir is the folder the project is found from when the client names no root folder
	// ("" is the working directory).
	Dir string
	// Debounce is how long the server waits after the last edit before it lints (default
	// 150 ms).
	Debounce time.Duration
	// Sync lints right after each change instead of after the debounce, before the next
	// message is read (tests and fuzzing: deterministic).
	Sync bool
	// NoWatch turns off the server's own file watcher (used when the client watches).
	NoWatch bool
	// NoCache turns off the record cache (see repo.Cache).
	NoCache bool
	// Log receives the server's own messages (nil: discarded).
	Log io.Writer
	// OnPanic, when set, is called with a handler's panic instead of answering it with an
	// internal error (the fuzz test fails on it).
	OnPanic func(v any, stack []byte)
}

// Server is one language server session.
type Server struct {
	opts Options
	out  *writer

	relintMu sync.Mutex // serialises lint runs; guards proj
	proj     *model

	mu          sync.Mutex
	enc         encoding
	initialized bool
	shutdown    bool
	root        string
	snap        *snapshot
	docs        map[string]*document // by URI
	dirty       map[string]bool      // files changed since the last lint run
	reload      bool
	published   map[string][]diag.Diagnostic
	timer       *time.Timer
	closed      bool
	watcher     io.Closer
	clientWatch bool
	hoverMD     bool
	nextID      int
	lintRuns    int
}

// document is an open text document.
type document struct {
	uri     string
	file    string // slash path relative to the root; "" when outside the project
	version int
	t       *text
}

// New returns a server writing to out.
func New(out io.Writer, opts Options) *Server {
	if opts.Debounce <= 0 {
		opts.Debounce = 150 * time.Millisecond
	}
	return &Server{opts: opts, out: &writer{w: out}, enc: utf16Enc, docs: map[string]*document{},
		dirty: map[string]bool{}, published: map[string][]diag.Diagnostic{}}
}

// Serve reads messages from in until the client sends exit or closes the stream. It
// returns nil after shutdown and exit, and an error otherwise (a client that went away,
// or a stream that is not framed as the protocol says).
func (s *Server) Serve(in io.Reader) error {
	defer s.close()
	rd := newReader(in)
	for {
		body, err := rd.read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return errors.New("lsp: the client closed the connection without exit")
			}
			return err
		}
		if stop, code := s.handle(body); stop {
			if code != 0 {
				return errors.New("lsp: exit without shutdown")
			}
			return nil
		}
	}
}

func (s *Server) close() {
	s.mu.Lock()
	s.closed = true
	if s.timer != nil {
		s.timer.Stop()
	}
	w := s.watcher
	s.watcher = nil
	s.mu.Unlock()
	if w != nil {
		w.Close()
	}
	s.relintMu.Lock() // wait for a lint run in flight, then drop the model
	s.proj = nil
	s.relintMu.Unlock()
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "reqtrail lsp: "+format+"\n", args...)
	}
}

// handle processes one message; stop is true after exit.
func (s *Server) handle(body []byte) (stop bool, code int) {
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		s.reply(json.RawMessage("null"), nil, &rpcError{codeParseError, "not a JSON-RPC message: " + truncate(err.Error(), 200)})
		return false, 0
	}
	if m.Method == "" {
		return false, 0 // a response to one of our requests (registerCapability)
	}
	if m.Method == "exit" {
		s.mu.Lock()
		down := s.shutdown
		s.mu.Unlock()
		if down {
			return true, 0
		}
		return true, 1
	}
	result, rerr := s.dispatch(&m)
	if m.isRequest() {
		s.reply(m.ID, result, rerr)
	}
	return false, 0
}

func (s *Server) dispatch(m *message) (result any, rerr *rpcError) {
	defer func() {
		if v := recover(); v != nil {
			stack := debug.Stack()
			if s.opts.OnPanic != nil {
				s.opts.OnPanic(v, stack)
			}
			s.logf("internal error in %s: %v\n%s", m.Method, v, stack)
			result, rerr = nil, &rpcError{codeInternalError, fmt.Sprintf("internal error in %s: %v", m.Method, v)}
		}
	}()
	s.mu.Lock()
	ready, down := s.initialized, s.shutdown
	s.mu.Unlock()
	if m.Method == "initialize" {
		if ready {
			return nil, &rpcError{codeInvalidRequest, "initialize was already sent"}
		}
		return s.initialize(m.Params)
	}
	if !ready {
		if m.isRequest() {
			return nil, &rpcError{codeServerNotInitialized, "the server is not initialized yet"}
		}
		return nil, nil
	}
	if down && m.isRequest() {
		return nil, &rpcError{codeInvalidRequest, "the server is shutting down"}
	}
	h, ok := handlers[m.Method]
	if !ok {
		if m.isRequest() && !strings.HasPrefix(m.Method, "$/") {
			return nil, &rpcError{codeMethodNotFound, "method not supported: " + truncate(m.Method, 80)}
		}
		return nil, nil
	}
	return h(s, m.Params)
}

type handler func(s *Server, params json.RawMessage) (any, *rpcError)

var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"initialized":                     (*Server).didInitialize,
		"shutdown":                        (*Server).doShutdown,
		"textDocument/didOpen":            (*Server).didOpen,
		"textDocument/didChange":          (*Server).didChange,
		"textDocument/didClose":           (*Server).didClose,
		"textDocument/didSave":            func(*Server, json.RawMessage) (any, *rpcError) { return nil, nil },
		"workspace/didChangeWatchedFiles": (*Server).didChangeWatchedFiles,
		"textDocument/completion":         (*Server).completion,
		"textDocument/hover":              (*Server).hover,
		"textDocument/definition":         (*Server).definition,
		"textDocument/references":         (*Server).references,
		"textDocument/codeAction":         (*Server).codeAction,
		"textDocument/documentSymbol":     (*Server).documentSymbol,
		"workspace/symbol":                (*Server).workspaceSymbol,
	}
}

func decode(params json.RawMessage, v any) *rpcError {
	if len(params) == 0 {
		return &rpcError{codeInvalidParams, "missing params"}
	}
	if err := json.Unmarshal(params, v); err != nil {
		return &rpcError{codeInvalidParams, "invalid params: " + truncate(err.Error(), 200)}
	}
	return nil
}

func (s *Server) reply(id json.RawMessage, result any, rerr *rpcError) {
	m := &message{ID: id}
	if rerr != nil {
		m.Error = rerr
	} else {
		b, err := json.Marshal(result)
		if err != nil {
			m.Error = &rpcError{codeInternalError, err.Error()}
		} else {
			m.Result = b
		}
	}
	if err := s.out.write(m); err != nil {
		s.logf("write: %v", err)
	}
}

func (s *Server) notify(method string, params any) {
	b, err := json.Marshal(params)
	if err != nil {
		s.logf("marshal %s: %v", method, err)
		return
	}
	if err := s.out.write(&message{Method: method, Params: b}); err != nil {
		s.logf("write: %v", err)
	}
}

func (s *Server) request(method string, params any) {
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	s.mu.Unlock()
	b, _ := json.Marshal(params)
	if err := s.out.write(&message{ID: json.RawMessage(fmt.Sprintf(`"reqtrail-%d"`, id)), Method: method, Params: b}); err != nil {
		s.logf("write: %v", err)
	}
}

// Server capabilities (LSP 3.17).
func (s *Server) initialize(params json.RawMessage) (any, *rpcError) {
	var p initializeParams
	if rerr := decode(params, &p); rerr != nil {
		return nil, rerr
	}
	var caps clientCapabilities
	if len(p.Capabilities) > 0 {
		_ = json.Unmarshal(p.Capabilities, &caps) // unknown shapes: defaults
	}
	dir := s.opts.Dir
	switch {
	case len(p.Workspace) > 0 && uriPath(p.Workspace[0].URI) != "":
		dir = uriPath(p.Workspace[0].URI)
	case uriPath(p.RootURI) != "":
		dir = uriPath(p.RootURI)
	case p.RootPath != "":
		dir = p.RootPath
	}
	if dir == "" {
		dir = "."
	}
	root, _, err := project.Root(dir)
	if err != nil {
		return nil, &rpcError{codeInvalidParams, fmt.Sprintf("cannot use %s as the project folder: %v", dir, err)}
	}
	var cache *repo.Cache
	if !s.opts.NoCache {
		if p := repo.CachePath(root); p != "" {
			cache = repo.OpenCache(p)
			defer func() { _ = cache.Save(p) }()
		}
	}
	proj := newModel(root, cache)
	proj.load()
	snap := proj.build()
	enc := negotiate(caps.General.PositionEncodings)

	s.relintMu.Lock()
	s.proj = proj
	s.relintMu.Unlock()
	s.mu.Lock()
	s.root, s.snap, s.enc, s.initialized = root, snap, enc, true
	s.clientWatch = caps.Workspace.DidChangeWatchedFiles.DynamicRegistration
	s.hoverMD = len(caps.TextDocument.Hover.ContentFormat) == 0 || slices.Contains(caps.TextDocument.Hover.ContentFormat, "markdown")
	s.lintRuns++
	s.mu.Unlock()

	return map[string]any{
		"capabilities": map[string]any{
			"positionEncoding": string(enc),
			"textDocumentSync": map[string]any{"openClose": true, "change": 2, "save": map[string]any{"includeText": false}},
			"completionProvider": map[string]any{
				"triggerCharacters": []string{"-", "_", ":", " "},
			},
			"hoverProvider":           true,
			"definitionProvider":      true,
			"referencesProvider":      true,
			"codeActionProvider":      map[string]any{"codeActionKinds": []string{"quickfix"}},
			"documentSymbolProvider":  true,
			"workspaceSymbolProvider": true,
		},
		"serverInfo": map[string]any{"name": "reqtrail", "version": versionString()},
	}, nil
}

func versionString() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "devel"
}

func (s *Server) didInitialize(json.RawMessage) (any, *rpcError) {
	s.mu.Lock()
	clientWatch := s.clientWatch
	root := s.root
	s.mu.Unlock()
	if clientWatch {
		s.request("client/registerCapability", map[string]any{"registrations": []any{map[string]any{
			"id": "reqtrail-watch", "method": "workspace/didChangeWatchedFiles",
			"registerOptions": map[string]any{"watchers": []any{map[string]any{"globPattern": "**/*"}}},
		}}})
	} else if !s.opts.NoWatch {
		w, err := watch(root, s.diskChanged)
		if err != nil {
			s.logf("cannot watch %s: %v (changes on disk are seen when files are opened)", root, err)
		} else {
			s.mu.Lock()
			if s.closed {
				w.Close()
			} else {
				s.watcher = w
			}
			s.mu.Unlock()
		}
	}
	s.publish()
	return nil, nil
}

func (s *Server) doShutdown(json.RawMessage) (any, *rpcError) {
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	return nil, nil
}

// uriPath returns the local path of a file: URI, or "".
func uriPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	p := u.Path
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' { // file:///C:/…
		p = p[1:]
	}
	return filepath.FromSlash(p)
}

// fileURI returns the file: URI of the slash path file under root.
func fileURI(root, file string) string {
	p := filepath.ToSlash(filepath.Join(root, filepath.FromSlash(file)))
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// relFile returns the slash path of uri relative to the root, or "" outside it.
func (s *Server) relFile(uri string) string {
	p := uriPath(uri)
	if p == "" || s.root == "" {
		return ""
	}
	rel, err := filepath.Rel(s.root, p)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return ""
	}
	return filepath.ToSlash(rel)
}

func (s *Server) didOpen(params json.RawMessage) (any, *rpcError) {
	var p didOpenParams
	if rerr := decode(params, &p); rerr != nil {
		return nil, rerr
	}
	s.mu.Lock()
	d := &document{uri: p.TextDocument.URI, file: s.relFile(p.TextDocument.URI), version: p.TextDocument.Version, t: newText(p.TextDocument.Text)}
	s.docs[d.uri] = d
	if d.file != "" {
		s.dirty[d.file] = true
	}
	s.mu.Unlock()
	s.changed()
	return nil, nil
}

func (s *Server) didChange(params json.RawMessage) (any, *rpcError) {
	var p didChangeParams
	if rerr := decode(params, &p); rerr != nil {
		return nil, rerr
	}
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	if d == nil {
		s.mu.Unlock()
		return nil, nil // a change to a document that is not open: nothing to apply it to
	}
	for _, c := range p.ContentChanges {
		d.t = d.t.apply(c, s.enc)
	}
	d.version = p.TextDocument.Version
	if d.file != "" {
		s.dirty[d.file] = true
	}
	s.mu.Unlock()
	s.changed()
	return nil, nil
}

func (s *Server) didClose(params json.RawMessage) (any, *rpcError) {
	var p didCloseParams
	if rerr := decode(params, &p); rerr != nil {
		return nil, rerr
	}
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	delete(s.docs, p.TextDocument.URI)
	if d != nil && d.file != "" {
		s.dirty[d.file] = true // back to the disk's content
	}
	s.mu.Unlock()
	if d != nil && d.file == "" {
		s.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: d.uri, Diagnostics: []lspDiagnostic{}})
	}
	s.changed()
	return nil, nil
}

func (s *Server) didChangeWatchedFiles(params json.RawMessage) (any, *rpcError) {
	var p didChangeWatchedFilesParams
	if rerr := decode(params, &p); rerr != nil {
		return nil, rerr
	}
	var files []string
	s.mu.Lock()
	for _, c := range p.Changes {
		if f := s.relFile(c.URI); f != "" {
			files = append(files, f)
		}
	}
	s.mu.Unlock()
	s.diskChanged(files)
	return nil, nil
}

// diskChanged is told about files that changed on disk (by the client or the watcher).
func (s *Server) diskChanged(files []string) {
	if len(files) == 0 {
		return
	}
	s.mu.Lock()
	for _, f := range files {
		s.dirty[f] = true
	}
	s.mu.Unlock()
	s.changed()
}

// changed schedules a lint run after the debounce (or runs it now in Sync mode).
func (s *Server) changed() {
	if s.opts.Sync {
		s.relint()
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if s.timer == nil {
		s.timer = time.AfterFunc(s.opts.Debounce, s.relint)
	} else {
		s.timer.Reset(s.opts.Debounce)
	}
}

// relint applies the pending changes to the project model, lints, and publishes.
func (s *Server) relint() {
	s.relintMu.Lock()
	defer s.relintMu.Unlock()
	s.mu.Lock()
	if s.proj == nil || s.closed {
		s.mu.Unlock()
		return
	}
	type change struct {
		file string
		data []byte
		disk bool
	}
	var changes []change
	for f := range s.dirty {
		c := change{file: f, disk: true}
		for _, d := range s.docs {
			if d.file == f {
				c = change{file: f, data: []byte(d.t.s)}
			}
		}
		changes = append(changes, c)
	}
	clear(s.dirty)
	reload := s.reload
	s.reload = false
	var open []change
	for _, d := range s.docs {
		if d.file != "" {
			open = append(open, change{file: d.file, data: []byte(d.t.s)})
		}
	}
	s.mu.Unlock()
	if len(changes) == 0 && !reload {
		return
	}

	p := s.proj
	for _, c := range changes {
		if p.update(c.file, c.data, c.disk) {
			reload = true
		}
	}
	if reload {
		p.load()
		for _, c := range open {
			p.update(c.file, c.data, false)
		}
	}
	snap := p.build()
	s.mu.Lock()
	s.snap = snap
	s.lintRuns++
	s.mu.Unlock()
	s.publish()
}

// publish sends the diagnostics of every open document and of every file whose findings
// changed since they were last sent.
func (s *Server) publish() {
	s.mu.Lock()
	snap := s.snap
	enc := s.enc
	root := s.root
	files := map[string]bool{}
	docs := map[string]*document{}
	for _, d := range s.docs {
		if d.file != "" {
			files[d.file] = true
			docs[d.file] = d
		}
	}
	for f, ds := range snap.diags {
		if !slices.Equal(ds, s.published[f]) {
			files[f] = true
		}
	}
	for f := range s.published {
		if _, still := snap.diags[f]; !still {
			files[f] = true
		}
	}
	type out struct {
		uri     string
		version *int
		ds      []diag.Diagnostic
		t       *text
	}
	var outs []out
	for f := range files {
		o := out{uri: fileURI(root, f), ds: snap.diags[f]}
		if d := docs[f]; d != nil {
			o.uri, o.t = d.uri, d.t
			v := d.version
			o.version = &v
		}
		outs = append(outs, o)
	}
	s.published = snap.diags
	s.mu.Unlock()
	slices.SortFunc(outs, func(a, b out) int { return strings.Compare(a.uri, b.uri) })
	for _, o := range outs {
		t := o.t
		if t == nil && len(o.ds) > 0 {
			t = snap.fileText(root, o.ds[0].File())
		}
		ld := make([]lspDiagnostic, 0, len(o.ds))
		for _, d := range o.ds {
			ld = append(ld, toLSP(d, t, enc, snap.repo.Config))
		}
		s.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: o.uri, Version: o.version, Diagnostics: ld})
	}
}

// fileText returns the content of file as the snapshot knows it (a record's bytes), or as
// it is on disk; an empty text when it cannot be read.
func (snap *snapshot) fileText(root, file string) *text {
	if rec := snap.byFile[file]; rec != nil && rec.Raw != nil {
		return newText(string(rec.Raw))
	}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
	if err != nil || len(b) > 32<<20 {
		return newText("")
	}
	return newText(string(b))
}

// toLSP converts a lint diagnostic: lint's 1-based line and code-point column become a
// range in enc covering the token there (the key, value or id the finding is about).
func toLSP(d diag.Diagnostic, t *text, enc encoding, cfg *config.Config) lspDiagnostic {
	sev := 1
	if d.Severity == diag.Warning {
		sev = 2
	}
	return lspDiagnostic{Range: toRange(t, d.Range, enc, cfg), Severity: sev, Code: d.Rule, Source: "reqtrail", Message: d.Message}
}

// toRange converts a lint range (1-based lines, code-point columns) to enc; a range with
// no end covers the token at its start.
func toRange(t *text, r pos.Range, enc encoding, cfg *config.Config) Range {
	if !r.HasEnd() || r.End.Line < r.Start.Line || (r.End.Line == r.Start.Line && r.End.Column <= r.Start.Column) {
		return tokenRange(t, r.Start.Line, r.Start.Column, enc, cfg)
	}
	at := func(p pos.Position) Position {
		li := max(p.Line-1, 0)
		return Position{li, fromColumn(t.line(li), p.Column, enc)}
	}
	return Range{Start: at(r.Start), End: at(r.End)}
}

// tokenRange is the range of the token at 1-based line and code-point column col.
func tokenRange(t *text, line, col int, enc encoding, cfg *config.Config) Range {
	li := max(line-1, 0)
	l := t.line(li)
	start := byteIndex(l, fromColumn(l, col, utf32Enc), utf32Enc)
	end := tokenEnd(l, start)
	if cfg != nil {
		if h, ok := idAt(cfg, l, start); ok && h.Start == start {
			end = h.End // an id cited in prose ends where the id does
		}
	}
	if end <= start {
		start, end = 0, len(l)
	}
	return Range{Start: Position{li, units(l[:start], enc)}, End: Position{li, units(l[:end], enc)}}
}

// tokenEnd finds where the YAML key, scalar or word starting at byte start of l ends.
func tokenEnd(l string, start int) int {
	if start >= len(l) {
		return len(l)
	}
	switch q := l[start]; q {
	case '"', '\'':
		for i := start + 1; i < len(l); i++ {
			if q == '"' && l[i] == '\\' {
				i++
				continue
			}
			if l[i] == q {
				if q == '\'' && i+1 < len(l) && l[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return len(l)
	}
	flow := strings.ContainsAny(l[:start], "[{")
	end := len(l)
	for i := start; i < len(l); i++ {
		c := l[i]
		if c == ':' && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t') {
			end = i
			break
		}
		if c == '#' && i > start && (l[i-1] == ' ' || l[i-1] == '\t') {
			end = i
			break
		}
		if flow && (c == ',' || c == ']' || c == '}') {
			end = i
			break
		}
	}
	return len(strings.TrimRight(l[:end], " \t"))
}
