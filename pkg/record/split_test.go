package record

import (
	"errors"
	"testing"
)

func TestCut(t *testing.T) {
	p, err := Cut([]byte("\xef\xbb\xbf---\r\nid: X\r\n--- \r\nbody\n"), false)
	if err != nil || !p.BOM || !p.Fenced || string(p.Front) != "id: X\r\n" || !p.CloseEOL || string(p.Body) != "body\n" || p.FrontLine != 2 || p.BodyLine != 4 {
		t.Errorf("Cut = %+v, %v", p, err)
	}
	if p, err := Cut([]byte("---\nid: X\n---"), false); err != nil || p.CloseEOL || p.Body != nil {
		t.Errorf("closing fence at the end: %+v, %v", p, err)
	}
	if p, err := Cut([]byte("id: X\n"), true); err != nil || p.Fenced || string(p.Front) != "id: X\n" || p.BodyLine != 0 {
		t.Errorf("yaml only: %+v, %v", p, err)
	}
	if _, err := Cut([]byte("id: X\n"), false); !errors.Is(err, ErrNoFrontMatter) {
		t.Errorf("no fence: %v", err)
	}
	if _, err := Cut([]byte("---\nid: X\n"), false); !errors.Is(err, ErrUnclosed) {
		t.Errorf("unclosed: %v", err)
	}
	if !HasFence([]byte("\xef\xbb\xbf---\nx")) || HasFence([]byte("id: x\n---\n")) {
		t.Error("HasFence")
	}
}

func TestFileID(t *testing.T) {
	for name, want := range map[string]string{
		"reqs/REQ-0001.md": "REQ-0001", "a/CR-1.YAML": "CR-1", "x.yml": "x",
		"reqs/README.md": "", "readme.MD": "", ".hidden.md": "", "_draft.md": "", "notes.txt": "", ".md": "",
	} {
		id, ok := FileID(name)
		if id != want || ok != (want != "") || IsFile(name) != ok {
			t.Errorf("FileID(%q) = %q, %v; want %q", name, id, ok, want)
		}
	}
	if !YAMLOnly("a/b.YML") || YAMLOnly("a.md") {
		t.Error("YAMLOnly")
	}
}
