package lsp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testClient drives a Server through its JSON-RPC stream, as an editor does.
type testClient struct {
	t      testing.TB
	toSrv  *io.PipeWriter
	mu     sync.Mutex
	cond   *sync.Cond
	notes  []message
	resps  map[string]message
	nextID int
	done   chan error
	root   string
}

func startClient(t testing.TB, root string, opts Options) *testClient {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	srv := New(outW, opts)
	c := &testClient{t: t, toSrv: inW, resps: map[string]message{}, done: make(chan error, 1), root: root}
	c.cond = sync.NewCond(&c.mu)
	go func() {
		err := srv.Serve(inR)
		outW.Close()
		c.done <- err
	}()
	go func() {
		br := bufio.NewReader(outR)
		for {
			body, err := ReadMessage(br)
			if err != nil {
				c.mu.Lock()
				c.cond.Broadcast()
				c.mu.Unlock()
				return
			}
			var m message
			if err := json.Unmarshal(body, &m); err != nil {
				t.Errorf("server sent invalid JSON: %v: %s", err, body)
				continue
			}
			c.mu.Lock()
			if m.Method != "" {
				c.notes = append(c.notes, m)
			} else {
				c.resps[string(m.ID)] = m
			}
			c.cond.Broadcast()
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *testClient) send(m map[string]any) {
	c.t.Helper()
	m["jsonrpc"] = "2.0"
	b, err := json.Marshal(m)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := WriteMessage(c.toSrv, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	c.send(map[string]any{"method": method, "params": params})
}

// waitFor blocks until cond holds under the lock, failing after a generous timeout (a hung
// server, never a slow one, trips it).
func (c *testClient) waitFor(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	timer := time.AfterFunc(120*time.Second, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !cond() {
		if time.Now().After(deadline) {
			for _, n := range c.notes {
				c.t.Logf("note %s %s", n.Method, n.Params)
			}
			c.t.Fatalf("timed out waiting for %s", what)
		}
		c.cond.Wait()
	}
}

// call sends a request and returns its result, decoded into out (when not nil).
func (c *testClient) call(method string, params any, out any) *rpcError {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	c.send(map[string]any{"id": id, "method": method, "params": params})
	key := fmt.Sprint(id)
	var resp message
	c.waitFor("the response to "+method, func() bool {
		var ok bool
		resp, ok = c.resps[key]
		return ok
	})
	if resp.Error != nil {
		return resp.Error
	}
	if out != nil {
		if err := json.Unmarshal(resp.Result, out); err != nil {
			c.t.Fatalf("%s: result %s: %v", method, resp.Result, err)
		}
	}
	return nil
}

// diagnostics waits for the newest publishDiagnostics of uri that satisfies ok.
func (c *testClient) diagnostics(uri string, ok func([]lspDiagnostic) bool) []lspDiagnostic {
	c.t.Helper()
	var got []lspDiagnostic
	c.waitFor("diagnostics of "+uri, func() bool {
		for i := len(c.notes) - 1; i >= 0; i-- {
			n := c.notes[i]
			if n.Method != "textDocument/publishDiagnostics" {
				continue
			}
			var p publishDiagnosticsParams
			if json.Unmarshal(n.Params, &p) != nil || p.URI != uri {
				continue
			}
			if ok(p.Diagnostics) {
				got = p.Diagnostics
				return true
			}
			return false
		}
		return false
	})
	return got
}

func (c *testClient) uri(file string) string { return fileURI(c.root, file) }

func (c *testClient) initialize(encodings ...string) map[string]any {
	c.t.Helper()
	var res map[string]any
	caps := map[string]any{"general": map[string]any{"positionEncodings": encodings}}
	if rerr := c.call("initialize", map[string]any{"processId": nil, "rootUri": fileURI(c.root, "."), "capabilities": caps}, &res); rerr != nil {
		c.t.Fatalf("initialize: %v", rerr)
	}
	c.notify("initialized", map[string]any{})
	return res
}

func (c *testClient) shutdown() {
	c.t.Helper()
	if rerr := c.call("shutdown", nil, nil); rerr != nil {
		c.t.Fatalf("shutdown: %v", rerr)
	}
	c.notify("exit", nil)
	select {
	case err := <-c.done:
		if err != nil {
			c.t.Fatalf("Serve after shutdown and exit: %v", err)
		}
	case <-time.After(120 * time.Second):
		c.t.Fatal("the server did not stop after exit")
	}
	c.toSrv.Close()
}

// writeProject writes files (slash paths → content) under a new temporary folder.
func writeProject(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	root, _ = filepath.EvalSymlinks(root)
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}
