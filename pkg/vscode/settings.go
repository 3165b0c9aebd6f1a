// Package vscode edits VS Code workspace settings (.vscode/settings.json, JSON with
// comments) in place: one top-level key is set, every other byte of the file is kept.
package vscode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// member is a top-level "key": value of the settings object, as byte spans.
type member struct {
	key              string
	valStart, valEnd int
}

// scanner walks JSON with comments (JSONC, as VS Code reads settings.json).
type scanner struct {
	b   []byte
	pos int
}

func (s *scanner) errorf(format string, args ...any) error {
	line := 1 + bytes.Count(s.b[:min(s.pos, len(s.b))], []byte("\n"))
	return fmt.Errorf("settings.json line %d: %s", line, fmt.Sprintf(format, args...))
}

// skip moves past whitespace and comments.
func (s *scanner) skip() error {
	for s.pos < len(s.b) {
		c := s.b[s.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			s.pos++
		case c == '/' && s.pos+1 < len(s.b) && s.b[s.pos+1] == '/':
			for s.pos < len(s.b) && s.b[s.pos] != '\n' {
				s.pos++
			}
		case c == '/' && s.pos+1 < len(s.b) && s.b[s.pos+1] == '*':
			end := bytes.Index(s.b[s.pos+2:], []byte("*/"))
			if end < 0 {
				return s.errorf("comment is never closed")
			}
			s.pos += end + 4
		default:
			return nil
		}
	}
	return nil
}

func (s *scanner) str() (string, error) {
	start := s.pos
	s.pos++
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case '\\':
			s.pos += 2
			continue
		case '"':
			s.pos++
			var out string
			if err := json.Unmarshal(s.b[start:s.pos], &out); err != nil {
				return "", s.errorf("bad string")
			}
			return out, nil
		case '\n':
			return "", s.errorf("string is not closed on its line")
		}
		s.pos++
	}
	return "", s.errorf("string is never closed")
}

// value skips one value (nested objects and arrays included).
func (s *scanner) value(depth int) error {
	if depth > 200 {
		return s.errorf("nested too deeply")
	}
	if err := s.skip(); err != nil {
		return err
	}
	if s.pos >= len(s.b) {
		return s.errorf("a value is missing")
	}
	switch c := s.b[s.pos]; c {
	case '"':
		_, err := s.str()
		return err
	case '{', '[':
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		s.pos++
		afterItem := false
		for {
			if err := s.skip(); err != nil {
				return err
			}
			if s.pos >= len(s.b) {
				return s.errorf("%q is never closed", c)
			}
			if s.b[s.pos] == closing {
				s.pos++
				return nil
			}
			if s.b[s.pos] == ',' {
				if !afterItem {
					return s.errorf("unexpected ','")
				}
				afterItem = false
				s.pos++
				continue
			}
			if afterItem {
				return s.errorf("expected ','")
			}
			afterItem = true
			if c == '{' {
				if s.b[s.pos] != '"' {
					return s.errorf("expected a key")
				}
				if _, err := s.str(); err != nil {
					return err
				}
				if err := s.skip(); err != nil {
					return err
				}
				if s.pos >= len(s.b) || s.b[s.pos] != ':' {
					return s.errorf("expected ':'")
				}
				s.pos++
			}
			if err := s.value(depth + 1); err != nil {
				return err
			}
		}
	default:
		start := s.pos
		for s.pos < len(s.b) && !strings.ContainsRune(",]} \t\r\n/", rune(s.b[s.pos])) {
			s.pos++
		}
		if s.pos == start {
			return s.errorf("unexpected %q", s.b[s.pos])
		}
		return nil
	}
}

// members parses the top-level object and returns its members and the offset of its
// closing brace.
func members(b []byte) ([]member, int, error) {
	s := &scanner{b: b}
	if err := s.skip(); err != nil {
		return nil, 0, err
	}
	if s.pos >= len(b) || b[s.pos] != '{' {
		return nil, 0, s.errorf("the settings are not a JSON object")
	}
	s.pos++
	var out []member
	afterItem := false
	for {
		if err := s.skip(); err != nil {
			return nil, 0, err
		}
		if s.pos >= len(b) {
			return nil, 0, s.errorf("the object is never closed")
		}
		switch b[s.pos] {
		case '}':
			end := s.pos
			s.pos++
			if err := s.skip(); err != nil {
				return nil, 0, err
			}
			if s.pos != len(b) {
				return nil, 0, s.errorf("text after the settings object")
			}
			return out, end, nil
		case ',':
			if !afterItem {
				return nil, 0, s.errorf("unexpected ','")
			}
			afterItem = false
			s.pos++
			continue
		case '"':
			if afterItem {
				return nil, 0, s.errorf("expected ','")
			}
		default:
			return nil, 0, s.errorf("expected a key")
		}
		var m member
		k, err := s.str()
		if err != nil {
			return nil, 0, err
		}
		m.key = k
		if err := s.skip(); err != nil {
			return nil, 0, err
		}
		if s.pos >= len(b) || b[s.pos] != ':' {
			return nil, 0, s.errorf("expected ':' after %q", k)
		}
		s.pos++
		if err := s.skip(); err != nil {
			return nil, 0, err
		}
		m.valStart = s.pos
		if err := s.value(0); err != nil {
			return nil, 0, err
		}
		m.valEnd = s.pos
		out = append(out, m)
		afterItem = true
	}
}

// ErrNotObject is returned for a top-level value that is not an object.
var ErrNotObject = errors.New("not an object")

// stripComments returns JSON without // and /* */ comments and trailing commas, for
// decoding one value.
func stripComments(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			out = append(out, b[i:min(j+1, len(b))]...)
			i = j
		case c == '/' && i+1 < len(b) && b[i+1] == '/':
			for i < len(b) && b[i] != '\n' {
				i++
			}
			out = append(out, '\n')
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			end := bytes.Index(b[i+2:], []byte("*/"))
			if end < 0 {
				return out
			}
			i += end + 3
		default:
			out = append(out, c)
		}
	}
	// trailing commas before } or ]
	var clean []byte
	for i := 0; i < len(out); i++ {
		if out[i] == ',' {
			j := i + 1
			for j < len(out) && strings.ContainsRune(" \t\r\n", rune(out[j])) {
				j++
			}
			if j < len(out) && (out[j] == '}' || out[j] == ']') {
				continue
			}
		}
		clean = append(clean, out[i])
	}
	return clean
}

// MergeObject sets entries under the object-valued top-level key of a settings.json
// (data; empty or nil for a new file) and returns the new file: other keys, comments and
// formatting are kept byte for byte, and so are the object's other entries (the object's
// own comments are not: it is rewritten).
func MergeObject(data []byte, key string, entries map[string]any) ([]byte, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		data = []byte("{}\n")
	}
	ms, end, err := members(data)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.key != key {
			continue
		}
		cur := map[string]any{}
		raw := stripComments(data[m.valStart:m.valEnd])
		if err := json.Unmarshal(raw, &cur); err != nil {
			return nil, fmt.Errorf("settings.json: %q is not an object: %w", key, ErrNotObject)
		}
		for k, v := range entries {
			cur[k] = v
		}
		val, err := indent(cur, "  ")
		if err != nil {
			return nil, err
		}
		return concat(data[:m.valStart], val, data[m.valEnd:]), nil
	}
	val, err := indent(entries, "  ")
	if err != nil {
		return nil, err
	}
	kb, _ := json.Marshal(key)
	item := "  " + string(kb) + ": " + string(val)
	// Insert after the last member (with a comma) or into the empty object.
	if len(ms) == 0 {
		return concat(data[:end], []byte("\n"+item+"\n"), data[end:]), nil
	}
	last := ms[len(ms)-1].valEnd
	return concat(data[:last], []byte(",\n"+item), data[last:]), nil
}

func indent(v any, prefix string) ([]byte, error) {
	return json.MarshalIndent(v, prefix, "  ")
}

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
