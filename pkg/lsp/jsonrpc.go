package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// JSON-RPC 2.0 error codes (and the LSP's own).
const (
	codeParseError           = -32700
	codeInvalidRequest       = -32600
	codeMethodNotFound       = -32601
	codeInvalidParams        = -32602
	codeInternalError        = -32603
	codeServerNotInitialized = -32002
	codeRequestCancelled     = -32800
)

// maxMessage is the largest message body the server reads (a record is at most 1 MiB; a
// didChange of a whole 1 MiB file in JSON with escapes stays well below this).
const maxMessage = 64 << 20

// maxHeader is the longest header line accepted.
const maxHeader = 4 << 10

// message is one JSON-RPC 2.0 message: a request (ID and Method), a notification (Method
// only) or a response (ID and Result or Error).
type message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

func (m *message) isRequest() bool { return len(m.ID) > 0 && m.Method != "" }

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%s (%d)", e.Message, e.Code) }

// errFraming is a stream that is not a sequence of Content-Length framed messages; the
// server cannot find the next message and stops.
var errFraming = errors.New("lsp: malformed message framing")

// reader reads Content-Length framed messages (the LSP base protocol).
type reader struct {
	br *bufio.Reader
}

func newReader(r io.Reader) *reader { return &reader{br: bufio.NewReaderSize(r, 64<<10)} }

// read returns the next message body. io.EOF at a message boundary ends the stream.
func (r *reader) read() ([]byte, error) {
	length := -1
	lines := 0
	for {
		line, err := r.readLine()
		if err != nil {
			if errors.Is(err, io.EOF) && lines == 0 {
				return nil, io.EOF
			}
			return nil, err
		}
		lines++
		if line == "" {
			if length < 0 {
				if lines == 1 {
					lines = 0 // tolerate stray blank lines between messages
					continue
				}
				return nil, fmt.Errorf("%w: no Content-Length header", errFraming)
			}
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%w: header line %q", errFraming, truncate(line, 40))
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("%w: Content-Length %q", errFraming, truncate(value, 20))
			}
			if n > maxMessage {
				return nil, fmt.Errorf("%w: message of %d bytes is larger than %d", errFraming, n, maxMessage)
			}
			length = n
		}
		if lines > 32 {
			return nil, fmt.Errorf("%w: too many header lines", errFraming)
		}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r.br, body); err != nil {
		return nil, err
	}
	return body, nil
}

func (r *reader) readLine() (string, error) {
	var b []byte
	for {
		chunk, isPrefix, err := r.br.ReadLine()
		if err != nil {
			return "", err
		}
		b = append(b, chunk...)
		if len(b) > maxHeader {
			return "", fmt.Errorf("%w: header line longer than %d bytes", errFraming, maxHeader)
		}
		if !isPrefix {
			return string(b), nil
		}
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// writer writes framed messages; safe for concurrent use.
type writer struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *writer) write(m *message) error {
	m.JSONRPC = "2.0"
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.Write(body)
	w.mu.Lock()
	defer w.mu.Unlock()
	_, err = w.w.Write(b.Bytes())
	return err
}

// WriteMessage frames body (a JSON-RPC message) for the LSP base protocol; clients in tests
// use it.
func WriteMessage(w io.Writer, body []byte) error {
	_, err := fmt.Fprintf(w, "Content-Length: %d\r\n\r\n%s", len(body), body)
	return err
}

// ReadMessage reads one framed message body; clients in tests use it.
func ReadMessage(r *bufio.Reader) ([]byte, error) {
	rd := &reader{br: r}
	return rd.read()
}
