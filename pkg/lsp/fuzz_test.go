package lsp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"
)

// FuzzServer drives a server with random JSON-RPC messages, random framing and random
// edits of open documents, after a valid initialize and didOpen: it must never panic, hang
// or stop answering. Chunks of the input are separated by 0xff; a chunk starting with
//
//	'E' is an edit: 8 bytes of range (start line, char, end line, char) and the new text,
//	'R' is written to the stream as it is (no framing),
//	anything else is one framed message body.
func FuzzServer(f *testing.F) {
	root := writeProject(f, fixture)
	uri := fileURI(root, "reqs/REQ-0002.md")
	code := fileURI(root, "src/chat.go")
	seed := func(parts ...string) { f.Add([]byte(joinChunks(parts...))) }
	seed(`{"jsonrpc":"2.0","id":1,"method":"textDocument/completion","params":{"textDocument":{"uri":"`+uri+`"},"position":{"line":4,"character":8}}}`,
		"E\x04\x08\x04\x10\x00\x00\x00\x00REQ-0003",
		`{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"`+uri+`"},"position":{"line":4,"character":10}}}`)
	seed("E\x00\x00\x63\x00\x00\x00\x00\x00---\nid: [\n",
		`{"jsonrpc":"2.0","id":3,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"`+uri+`"},"range":{"start":{"line":0,"character":0},"end":{"line":9,"character":0}},"context":{"diagnostics":[]}}}`)
	seed(`{"jsonrpc":"2.0","id":4,"method":"textDocument/references","params":{"textDocument":{"uri":"`+code+`"},"position":{"line":2,"character":15},"context":{"includeDeclaration":true}}}`,
		`{"jsonrpc":"2.0","id":5,"method":"workspace/symbol","params":{"query":"q"}}`,
		`{"jsonrpc":"2.0","id":6,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"`+uri+`"}}}`)
	seed(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"`+fileURI(root, "acceptance/ACC-0002.md")+`","version":1,"text":"---\nid: ACC-0002\n---\n"}}}`,
		`{"jsonrpc":"2.0","method":"workspace/didChangeWatchedFiles","params":{"changes":[{"uri":"`+fileURI(root, "reqtrail.yaml")+`","type":2}]}}`)
	seed("R"+"Content-Length: 5\r\n\r\n{}", `{"id":[],"method":7}`)
	seed(`{"jsonrpc":"2.0","id":7,"method":"textDocument/completion","params":{"textDocument":{"uri":"` + uri + `"},"position":{"line":-1,"character":99999}}}`)

	f.Fuzz(func(t *testing.T, data []byte) {
		var stream bytes.Buffer
		frame := func(s string) { _ = WriteMessage(&stream, []byte(s)) }
		frame(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"rootUri":"` + fileURI(root, ".") + `","capabilities":{"general":{"positionEncodings":["utf-16"]}}}}`)
		frame(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
		open, _ := json.Marshal(fixture["reqs/REQ-0002.md"])
		frame(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"` + uri + `","languageId":"markdown","version":1,"text":` + string(open) + `}}}`)
		version := 1
		for _, chunk := range bytes.Split(data, []byte{0xff}) {
			switch {
			case len(chunk) >= 9 && chunk[0] == 'E':
				version++
				r := Range{Position{int(int8(chunk[1])), int(int8(chunk[2]))}, Position{int(int8(chunk[3])), int(int8(chunk[4]))}}
				text, _ := json.Marshal(string(chunk[9:]))
				rj, _ := json.Marshal(r)
				frame(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":%q,"version":%d},"contentChanges":[{"range":%s,"text":%s}]}}`, uri, version, rj, text))
				for _, m := range []string{"completion", "hover", "definition", "references", "codeAction"} {
					frame(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"textDocument/%s","params":{"textDocument":{"uri":%q},"position":%s,"range":%s,"context":{"diagnostics":[]}}}`,
						version, m, uri, must(json.Marshal(r.End)), rj))
				}
			case len(chunk) > 0 && chunk[0] == 'R':
				stream.Write(chunk[1:])
			default:
				frame(string(chunk))
			}
		}
		frame(`{"jsonrpc":"2.0","id":99,"method":"shutdown"}`)
		frame(`{"jsonrpc":"2.0","method":"exit"}`)

		var panicked any
		s := New(io.Discard, Options{Sync: true, NoWatch: true, NoCache: true, OnPanic: func(v any, stack []byte) {
			panicked = fmt.Sprintf("%v\n%s", v, stack)
		}})
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = s.Serve(&stream)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatal("the server hung")
		}
		if panicked != nil {
			t.Fatalf("panic: %v", panicked)
		}
	})
}

func must(b []byte, _ error) string { return string(b) }

func joinChunks(parts ...string) string {
	var b bytes.Buffer
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(0xff)
		}
		b.WriteString(p)
	}
	return b.String()
}
