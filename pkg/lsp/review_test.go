package lsp

import (
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/record"
)

// applyEdit applies one text edit to s as a client does (positions in UTF-16).
func applyEdit(s string, e textEdit) string {
	t := newText(s)
	return s[:t.offset(e.Range.Start, utf16Enc)] + e.NewText + s[t.offset(e.Range.End, utf16Enc):]
}

// TestReviewLinkAction: on a suspect link the server offers reqtrail review for that one
// link, and on an unpinned link (pin-links: true) pinning it; each edit changes exactly one
// fingerprint value and nothing else, and the findings go away once it is applied.
func TestReviewLinkAction(t *testing.T) {
	fp := record.Fingerprint("Chat answers within 30 seconds", nil, "Customers get a first answer in chat within 30 seconds.\n")
	req2 := "---\nid: REQ-0002\ntitle: Queue position — 排队位置 is shown\nstatus: approved\nparent: {id: REQ-0001, fingerprint: 0123456789ab} # reviewed in May\nlinks:\n  - {type: depends-on, to: REQ-0001}\n---\nWhile waiting, 顾客 see their place in the queue.\n"
	files := map[string]string{
		"reqtrail.yaml":    "project: Review\npin-links: true\n",
		"reqs/REQ-0001.md": "---\nid: REQ-0001\ntitle: Chat answers within 30 seconds\nstatus: approved\n---\nCustomers get a first answer in chat within 30 seconds.\n",
		"reqs/REQ-0002.md": req2,
	}
	root := writeProject(t, files)
	c := startClient(t, root, Options{Sync: true, NoWatch: true, NoCache: true})
	c.initialize()
	uri := c.uri("reqs/REQ-0002.md")
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "markdown", "version": 1, "text": req2}})
	ds := c.diagnostics(uri, func(ds []lspDiagnostic) bool {
		return find(ds, "link-suspect") != nil && find(ds, "link-unpinned") != nil
	})

	actionsAt := func(d *lspDiagnostic) []codeAction {
		t.Helper()
		var actions []codeAction
		if rerr := c.call("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri},
			"range": d.Range, "context": map[string]any{"diagnostics": []any{d}}}, &actions); rerr != nil {
			t.Fatal(rerr)
		}
		return actions
	}
	pick := func(actions []codeAction, prefix string) *codeAction {
		for i := range actions {
			if strings.HasPrefix(actions[i].Title, prefix) {
				return &actions[i]
			}
		}
		t.Fatalf("no action %q in %q", prefix, actionTitles(actions))
		return nil
	}

	a := pick(actionsAt(find(ds, "link-suspect")), "Reviewed: re-pin the parent REQ-0001 to its current fingerprint "+fp)
	if !a.IsPreferred || len(a.Edit.DocumentChanges) != 1 || len(a.Edit.DocumentChanges[0].Edits) != 1 {
		t.Fatalf("re-pin action = %+v", a)
	}
	e := a.Edit.DocumentChanges[0].Edits[0]
	if e.Range.Start.Line != 4 || e.Range.End.Line != 4 {
		t.Errorf("re-pin edit spans lines %d–%d, want line 4 only", e.Range.Start.Line, e.Range.End.Line)
	}
	repinned := applyEdit(req2, e)
	if want := strings.Replace(req2, "0123456789ab", fp, 1); repinned != want {
		t.Errorf("re-pinned:\n%s\nwant:\n%s", repinned, want)
	}

	a = pick(actionsAt(find(ds, "link-unpinned")), "Pin the depends-on link to REQ-0001 to its fingerprint "+fp)
	pinned := applyEdit(req2, a.Edit.DocumentChanges[0].Edits[0])
	if want := strings.Replace(req2, "to: REQ-0001}", "to: REQ-0001, fingerprint: "+fp+"}", 1); pinned != want {
		t.Errorf("pinned:\n%s\nwant:\n%s", pinned, want)
	}

	// Both applied, as the client would: no link finding is left.
	both := applyEdit(repinned, textEdit{Range: Range{Start: newText(repinned).position(strings.Index(repinned, "to: REQ-0001}"), utf16Enc),
		End: newText(repinned).position(strings.Index(repinned, "to: REQ-0001}")+len("to: REQ-0001}"), utf16Enc)}, NewText: "to: REQ-0001, fingerprint: " + fp + "}"})
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2},
		"contentChanges": []any{map[string]any{"text": both}}})
	c.waitVersion(uri, 2)
	c.diagnostics(uri, func(ds []lspDiagnostic) bool {
		return find(ds, "link-suspect") == nil && find(ds, "link-unpinned") == nil
	})
	c.shutdown()
}

// TestDiffEdit: the narrowed edit reproduces the new text for edits anywhere, across
// multi-byte characters.
func TestDiffEdit(t *testing.T) {
	for _, c := range [][2]string{
		{"abc", "abc"}, {"", "x"}, {"x", ""}, {"a😀b", "a😁b"}, {"顾客\n排队", "顾客\n排 队"},
		{"line1\nline2\n", "line1\nLINE2\n"}, {"é", "è"}, {"aaa", "aa"}, {"ab\r\ncd", "ab\r\nce"},
	} {
		e := newText(c[0]).diffEdit(c[1], utf16Enc)
		if got := applyEdit(c[0], e); got != c[1] {
			t.Errorf("diffEdit(%q → %q) = %+v applies to %q", c[0], c[1], e, got)
		}
	}
}
