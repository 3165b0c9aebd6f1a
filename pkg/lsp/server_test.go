package lsp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var fixture = map[string]string{
	"reqtrail.yaml": `project: Fixture
trace:
  - {path: src, role: impl}
  - {path: tests, role: test}
fields:
  requirement:
    customer-tier: {enum: [gold, silver, bronze]}
values:
  links.type: [{value: blocks, zh-CN: 阻塞}]
`,
	"reqs/REQ-0001.md": `---
id: REQ-0001
title: Chat answers within 30 seconds
status: approved
priority:
  moscow: must
---
Customers get a first answer in chat within 30 seconds.
`,
	"reqs/REQ-0002.md": `---
id: REQ-0002
title: Queue position is shown
status: approved
parent: REQ-0001
links:
  - {type: depends-on, to: REQ-0001}
---
While waiting, 顾客 see their place in the queue.
`,
	"changes/CR-0001.md": `---
id: CR-0001
title: Show the queue position earlier
status: proposed
action: modify
affects: [REQ-0002]
---
`,
	"acceptance/ACC-0001.md": `---
id: ACC-0001
title: Chat accepted
verdict: accepted
date: 2024-01-01
requirements:
  - id: REQ-0001
    fingerprint: 000000000000
criteria:
  - {criterion: First answer within 30 s, met: true, requirement: REQ-0001}
---
`,
	"src/chat.go":        "package chat\n\n// implements REQ-0001\n// see REQ-0099.\n",
	"tests/chat_test.go": "package chat\n\nfunc Test_REQ_0002_queue(t *testing.T) {}\n",
}

func find(ds []lspDiagnostic, code string) *lspDiagnostic {
	for i := range ds {
		if ds[i].Code == code {
			return &ds[i]
		}
	}
	return nil
}

func has(code string) func([]lspDiagnostic) bool {
	return func(ds []lspDiagnostic) bool { return find(ds, code) != nil }
}

func hasNot(code string) func([]lspDiagnostic) bool {
	return func(ds []lspDiagnostic) bool { return find(ds, code) == nil }
}

func rng(l1, c1, l2, c2 int) Range { return Range{Position{l1, c1}, Position{l2, c2}} }

func posParams(uri string, line, char int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": line, "character": char}}
}

func (c *testClient) open(file string) string {
	c.t.Helper()
	uri := c.uri(file)
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "markdown", "version": 1, "text": fixture[file]}})
	return uri
}

func (c *testClient) edit(uri string, version int, r Range, newText string) {
	c.t.Helper()
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []any{map[string]any{"range": r, "text": newText}},
	})
}

func TestSession(t *testing.T) {
	root := writeProject(t, fixture)
	c := startClient(t, root, Options{Debounce: 5 * time.Millisecond, NoWatch: true, NoCache: true})
	res := c.initialize("utf-32", "utf-16")
	if enc := res["capabilities"].(map[string]any)["positionEncoding"]; enc != "utf-32" {
		t.Fatalf("positionEncoding = %v, want utf-32", enc)
	}

	// Initial diagnostics: every file with findings, exact ranges.
	chat := c.uri("src/chat.go")
	ds := c.diagnostics(chat, has("citation-unknown"))
	if d := find(ds, "citation-unknown"); d.Range != rng(3, 7, 3, 15) || d.Severity != 2 || d.Source != "reqtrail" {
		t.Errorf("citation-unknown = %+v, want range 3:7-3:15 warning", d)
	}
	acc := c.uri("acceptance/ACC-0001.md")
	ds = c.diagnostics(acc, has("acceptance-stale"))
	if d := find(ds, "acceptance-stale"); d.Range != rng(7, 17, 7, 29) {
		t.Errorf("acceptance-stale range = %v, want 7:17-7:29", d.Range)
	}

	// An edit in an open buffer: diagnostics of the unsaved text.
	req2 := c.open("reqs/REQ-0002.md")
	c.diagnostics(req2, func(ds []lspDiagnostic) bool { return len(ds) == 0 })
	c.edit(req2, 2, rng(4, 8, 4, 16), "REQ-0003")
	ds = c.diagnostics(req2, has("ref-unknown"))
	if d := find(ds, "ref-unknown"); d.Range != rng(4, 8, 4, 16) || d.Severity != 1 {
		t.Errorf("ref-unknown = %+v, want error at 4:8-4:16", d)
	}
	c.edit(req2, 3, rng(4, 8, 4, 16), "REQ-0001")
	c.diagnostics(req2, hasNot("ref-unknown"))

	// A renamed id breaks references elsewhere: those files are published too.
	req1 := c.open("reqs/REQ-0001.md")
	c.edit(req1, 2, rng(1, 4, 1, 12), "REQ-0007")
	c.diagnostics(acc, has("ref-unknown"))
	c.diagnostics(chat, func(ds []lspDiagnostic) bool { return len(ds) == 2 })
	ds = c.diagnostics(req1, has("id-filename"))
	var actions []codeAction
	if rerr := c.call("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": req1},
		"range": rng(1, 0, 1, 0), "context": map[string]any{"diagnostics": ds}}, &actions); rerr != nil {
		t.Fatal(rerr)
	}
	titles := actionTitles(actions)
	if !slices.Contains(titles, "Rename the file to REQ-0007.md") || !slices.Contains(titles, "Change the id to REQ-0001 (the file name)") {
		t.Errorf("id-filename actions = %q", titles)
	}
	for _, a := range actions {
		if strings.HasPrefix(a.Title, "Rename") {
			ch := a.Edit.DocumentChanges[0]
			if ch.Kind != "rename" || ch.OldURI != req1 || ch.NewURI != c.uri("reqs/REQ-0007.md") {
				t.Errorf("rename = %+v", ch)
			}
		}
	}
	c.edit(req1, 3, rng(1, 4, 1, 12), "REQ-0001")
	c.diagnostics(acc, hasNot("ref-unknown"))

	// Completion: ids with titles where an id goes, keys (fields: included), values.
	var list completionList
	c.edit(req2, 4, rng(4, 8, 4, 16), "")
	c.call("textDocument/completion", posParams(req2, 4, 8), &list)
	if it := item(list, "REQ-0001"); it == nil || it.Detail != "Chat answers within 30 seconds" || it.TextEdit.Range != rng(4, 8, 4, 8) {
		t.Errorf("parent completion = %+v", list.Items)
	}
	c.edit(req2, 5, rng(4, 8, 4, 8), "REQ-00")
	c.call("textDocument/completion", posParams(req2, 4, 14), &list)
	if it := item(list, "REQ-0002"); it == nil || it.TextEdit.Range != rng(4, 8, 4, 14) {
		t.Errorf("parent completion after REQ-00 = %+v", list.Items)
	}
	c.edit(req2, 6, rng(4, 8, 4, 14), "REQ-0001")
	c.edit(req2, 7, rng(3, 0, 3, 0), "cu\n")
	c.call("textDocument/completion", posParams(req2, 3, 2), &list)
	if it := item(list, "customer-tier"); it == nil || it.TextEdit.NewText != "customer-tier: " {
		t.Errorf("key completion = %v", labels(list))
	}
	if item(list, "status") != nil || item(list, "title") != nil {
		t.Errorf("key completion offers keys already present: %v", labels(list))
	}
	c.edit(req2, 8, rng(3, 0, 3, 2), "customer-tier: ")
	c.call("textDocument/completion", posParams(req2, 3, 15), &list)
	if got := labels(list); !slices.Equal(got, []string{"gold", "silver", "bronze"}) {
		t.Errorf("enum completion = %v", got)
	}
	c.edit(req2, 9, rng(8, 0, 8, 0), "  - {type: relates-to, to: REQ-0001}\n  - type: depends-on\n    to: \n")
	c.call("textDocument/completion", posParams(req2, 10, 8), &list)
	if item(list, "REQ-0001") == nil {
		t.Errorf("links[].to completion = %v", labels(list))
	}
	c.call("textDocument/completion", posParams(req2, 9, 10), &list)
	if got := labels(list); !slices.Contains(got, "depends-on") || !slices.Contains(got, "relates-to") {
		t.Errorf("links[].type completion = %v", got)
	}
	if it := item(list, "blocks"); it == nil || it.Detail != "阻塞" { // reqtrail.yaml's values:
		t.Errorf("links[].type completion lacks the project's extra value: %+v", list.Items)
	}

	// In code: ids after the prefix, written as typed (REQ_ for identifiers).
	test := c.uri("tests/chat_test.go")
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": test, "languageId": "go", "version": 1, "text": fixture["tests/chat_test.go"] + "func Test_REQ_\n"}})
	c.call("textDocument/completion", posParams(test, 3, 14), &list)
	if it := item(list, "REQ-0001"); it == nil || it.TextEdit.NewText != "REQ_0001" || it.TextEdit.Range != rng(3, 10, 3, 14) {
		t.Errorf("code completion = %+v", list.Items)
	}

	// Hover, definition, references from a code comment, once the last edit is linted.
	c.waitVersion(req2, 9)
	var h hover
	c.call("textDocument/hover", posParams(chat, 2, 16), &h)
	for _, want := range []string{"**REQ-0001**", "approved", "coverage: implemented", "Chat answers within 30 seconds",
		"Children: REQ-0002", "Required by REQ-0002", "Acceptance: ACC-0001 accepted (stale)", "src/chat.go:3", "Customers get a first answer"} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover lacks %q:\n%s", want, h.Contents.Value)
		}
	}
	if h.Range == nil || *h.Range != rng(2, 14, 2, 22) {
		t.Errorf("hover range = %v", h.Range)
	}
	var locs []Location
	c.call("textDocument/definition", posParams(chat, 2, 14), &locs)
	if len(locs) != 1 || locs[0].URI != c.uri("reqs/REQ-0001.md") || locs[0].Range != rng(1, 4, 1, 12) {
		t.Errorf("definition = %+v", locs)
	}
	c.call("textDocument/definition", posParams(test, 2, 12), &locs)
	if len(locs) != 1 || locs[0].URI != c.uri("reqs/REQ-0002.md") {
		t.Errorf("definition from Test_REQ_0002 = %+v", locs)
	}
	c.call("textDocument/references", map[string]any{"textDocument": map[string]any{"uri": chat},
		"position": Position{2, 15}, "context": map[string]any{"includeDeclaration": false}}, &locs)
	got := map[string]bool{}
	for _, l := range locs {
		got[strings.TrimPrefix(l.URI, c.uri("."))] = true
	}
	for _, want := range []string{"reqs/REQ-0002.md", "acceptance/ACC-0001.md", "src/chat.go"} {
		if !got["/"+want] && !got[want] {
			t.Errorf("references lack %s: %v", want, locs)
		}
	}
	if got["/reqs/REQ-0001.md"] {
		t.Errorf("references include the declaration without includeDeclaration: %v", locs)
	}

	// Code actions: create a cited requirement; draft a new acceptance for a stale one.
	c.call("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": chat},
		"range": rng(3, 0, 3, 0), "context": map[string]any{"diagnostics": []any{}}}, &actions)
	if len(actions) != 1 || actions[0].Title != "Create requirement REQ-0099 (reqs/REQ-0099.md)" {
		t.Fatalf("actions = %q", actionTitles(actions))
	}
	ch := actions[0].Edit.DocumentChanges
	if ch[0].Kind != "create" || ch[0].URI != c.uri("reqs/REQ-0099.md") || !strings.Contains(ch[1].Edits[0].NewText, "id: REQ-0099\n") {
		t.Errorf("create requirement = %+v", ch)
	}
	c.call("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": acc},
		"range": rng(7, 0, 7, 0), "context": map[string]any{"diagnostics": []any{}}}, &actions)
	titles = actionTitles(actions)
	// Only the new record: re-pinning the old one would move the customer's signature.
	if len(titles) != 1 || !strings.HasPrefix(titles[0], "Draft a new acceptance ACC-0002 for REQ-0001") {
		t.Errorf("stale acceptance actions = %q", titles)
	} else {
		draft := actions[0].Edit.DocumentChanges[1].Edits[0].NewText
		if !strings.Contains(draft, "id: ACC-0002\n") || !strings.Contains(draft, "criterion: First answer within 30 s\n") || strings.Contains(draft, "000000000000") {
			t.Errorf("draft acceptance:\n%s", draft)
		}
	}

	// Symbols.
	var syms []documentSymbol
	c.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": req1}}, &syms)
	if len(syms) != 1 || syms[0].Name != "REQ-0001" || syms[0].Detail != "Chat answers within 30 seconds" || len(syms[0].Children) != 4 {
		t.Errorf("document symbols = %+v", syms)
	}
	var ws []symbolInformation
	c.call("workspace/symbol", map[string]any{"query": "queue"}, &ws)
	if len(ws) != 2 || ws[0].Name != "CR-0001 Show the queue position earlier" || ws[1].Name != "REQ-0002 Queue position is shown" {
		t.Errorf("workspace symbols = %+v", ws)
	}

	// A file changed on disk, as the client reports it.
	writeFile(t, root, "src/new.go", "// REQ-0042\n")
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": c.uri("src/new.go"), "type": 1}}})
	c.diagnostics(c.uri("src/new.go"), has("citation-unknown"))

	c.shutdown()
}

// waitVersion waits until the diagnostics of version v of the open document uri are
// published (the snapshot then holds that text).
func (c *testClient) waitVersion(uri string, v int) {
	c.t.Helper()
	c.waitFor(fmt.Sprintf("diagnostics of version %d of %s", v, uri), func() bool {
		for _, n := range c.notes {
			var p publishDiagnosticsParams
			if n.Method == "textDocument/publishDiagnostics" && json.Unmarshal(n.Params, &p) == nil && p.URI == uri && p.Version != nil && *p.Version == v {
				return true
			}
		}
		return false
	})
}

func actionTitles(as []codeAction) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Title)
	}
	return out
}

func item(l completionList, label string) *completionItem {
	for i := range l.Items {
		if l.Items[i].Label == label {
			return &l.Items[i]
		}
	}
	return nil
}

func labels(l completionList) []string {
	var out []string
	for _, it := range l.Items {
		out = append(out, it.Label)
	}
	return out
}

func writeFile(t testing.TB, root, name, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestEncodings: the same finding in UTF-16, UTF-8 and UTF-32 columns (a line with CJK and
// an emoji before the id).
func TestEncodings(t *testing.T) {
	files := map[string]string{
		"reqtrail.yaml":    "trace:\n  - {path: src}\n",
		"reqs/REQ-0001.md": "---\nid: REQ-0001\ntitle: t\n---\n",
		"src/a.txt":        "说明😀 REQ-0009\n",
	}
	for enc, want := range map[string]Range{
		"utf-16": rng(0, 5, 0, 13), // 说 明 = 2, 😀 = 2, space
		"utf-8":  rng(0, 11, 0, 19),
		"utf-32": rng(0, 4, 0, 12),
	} {
		t.Run(enc, func(t *testing.T) {
			root := writeProject(t, files)
			c := startClient(t, root, Options{Sync: true, NoWatch: true, NoCache: true})
			offer := []string{enc}
			if enc == "utf-16" {
				offer = nil
			}
			res := c.initialize(offer...)
			if got := res["capabilities"].(map[string]any)["positionEncoding"]; got != enc {
				t.Fatalf("negotiated %v, want %s", got, enc)
			}
			ds := c.diagnostics(c.uri("src/a.txt"), has("citation-unknown"))
			if r := find(ds, "citation-unknown").Range; r != want {
				t.Errorf("range = %v, want %v", r, want)
			}
			var h hover
			c.call("textDocument/hover", posParams(c.uri("src/a.txt"), 0, want.Start.Character+1), &h)
			if !strings.Contains(h.Contents.Value, "no record has this id") {
				t.Errorf("hover = %q", h.Contents.Value)
			}
			// An incremental edit in the negotiated encoding: replace the id.
			uri := c.uri("src/a.txt")
			c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "plaintext", "version": 1, "text": files["src/a.txt"]}})
			c.edit(uri, 2, want, "REQ-0001")
			c.diagnostics(uri, func(ds []lspDiagnostic) bool { return len(ds) == 0 })
			c.shutdown()
		})
	}
}

// TestProtocolErrors: bad requests get JSON-RPC errors, and the session goes on.
func TestProtocolErrors(t *testing.T) {
	root := writeProject(t, fixture)
	c := startClient(t, root, Options{Sync: true, NoWatch: true, NoCache: true})
	if rerr := c.call("textDocument/hover", posParams(c.uri("src/chat.go"), 0, 0), nil); rerr == nil || rerr.Code != codeServerNotInitialized {
		t.Errorf("hover before initialize = %v", rerr)
	}
	c.initialize()
	if rerr := c.call("no/such/method", map[string]any{}, nil); rerr == nil || rerr.Code != codeMethodNotFound {
		t.Errorf("unknown method = %v", rerr)
	}
	if rerr := c.call("textDocument/hover", json.RawMessage(`[1,2]`), nil); rerr == nil || rerr.Code != codeInvalidParams {
		t.Errorf("bad params = %v", rerr)
	}
	if err := WriteMessage(c.toSrv, []byte(`{not json`)); err != nil {
		t.Fatal(err)
	}
	c.waitFor("the parse error", func() bool { _, ok := c.resps["null"]; return ok })
	var h *hover
	c.call("textDocument/hover", posParams(c.uri("src/chat.go"), 99, 99), &h)
	if h != nil {
		t.Errorf("hover past the end = %+v", h)
	}
	c.shutdown()
}

// TestOwnWatcher: with a client that does not watch files, the server's own watcher sees a
// record written on disk by another program and publishes its findings.
func TestOwnWatcher(t *testing.T) {
	root := writeProject(t, fixture)
	c := startClient(t, root, Options{Debounce: 5 * time.Millisecond, NoCache: true})
	c.initialize()
	acc := c.uri("acceptance/ACC-0001.md")
	c.diagnostics(acc, has("acceptance-stale"))
	// Wait until the watcher runs (an edit seen means it is), retrying the write.
	bad := strings.Replace(fixture["reqs/REQ-0002.md"], "parent: REQ-0001", "parent: REQ-0077", 1)
	uri := c.uri("reqs/REQ-0002.md")
	deadline := time.Now().Add(60 * time.Second)
	for {
		writeFile(t, root, "reqs/REQ-0002.md", bad)
		seen := false
		c.mu.Lock()
		for _, n := range c.notes {
			var p publishDiagnosticsParams
			if n.Method == "textDocument/publishDiagnostics" && json.Unmarshal(n.Params, &p) == nil && p.URI == uri && find(p.Diagnostics, "ref-unknown") != nil {
				seen = true
			}
		}
		c.mu.Unlock()
		if seen {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server's watcher did not see the change on disk")
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.shutdown()
}
