// Package results reads test results — JUnit XML in its common dialects (Maven Surefire,
// pytest, go-junit-report, gotestsum, jest-junit) and go test -json — and maps test cases to
// the requirements they verify (SPEC §11).
package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Status is a test case's outcome.
type Status string

// The outcomes: error counts as failed, skipped as not run.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"
)

// Case is one test case of a result file.
type Case struct {
	// Name is the case's name as reported (Go subtests: TestA/sub; pytest: test_x[1]).
	Name string
	// Classname is the class, module or package the case belongs to ("" when not given).
	Classname string
	// File is the file attribute, as written ("" when absent).
	File   string
	Status Status
	// Time is the duration in seconds (0 when not given).
	Time float64
	// Source is the result file the case was read from, Line the line there.
	Source string
	Line   int
}

// Error is a result file that cannot be read: the file, the line (0 when unknown) and why.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// MaxFileSize is the largest result file read.
const MaxFileSize = 256 << 20

// ReadFile reads one result file; its format is told from its content.
func ReadFile(name string) ([]Case, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{File: name, Msg: "cannot read: " + err.Error()}
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, &Error{File: name, Msg: "not a regular file"}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &Error{File: name, Msg: "cannot read: " + err.Error()}
	}
	if len(data) > MaxFileSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("larger than %d MiB", MaxFileSize>>20)}
	}
	return Parse(name, data)
}

// Parse reads result file content: JUnit XML when it starts with "<" (after white space and
// a byte-order mark), go test -json when it starts with "{". name is used in errors.
func Parse(name string, data []byte) ([]Case, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return nil, &Error{File: name, Line: 1, Msg: "empty result file (expected JUnit XML or go test -json output)"}
	case trimmed[0] == '<':
		return parseJUnit(name, data)
	case trimmed[0] == '{':
		return parseGoJSON(name, data)
	}
	return nil, &Error{File: name, Line: 1 + bytes.Count(data[:len(data)-len(trimmed)], []byte("\n")),
		Msg: "not a test result file (expected JUnit XML or go test -json output)"}
}

// parseJUnit reads JUnit XML: <testsuites> or <testsuite> at the top, suites nested to any
// depth, <testcase> with <failure>, <error> or <skipped> children.
func parseJUnit(name string, data []byte) ([]Case, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.Entity = nil // only XML's predefined and numeric entities
	var cases []Case
	var stack []string
	var cur *Case
	root := ""
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &Error{File: name, Line: se.Line, Msg: "malformed XML: " + se.Msg}
			}
			l, _ := dec.InputPos()
			return nil, &Error{File: name, Line: l, Msg: "malformed XML: " + err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			el := t.Name.Local
			if len(stack) == 0 {
				root = el
				if el != "testsuites" && el != "testsuite" {
					return nil, &Error{File: name, Line: line, Msg: fmt.Sprintf("not JUnit XML: the root element is <%s>, not <testsuites> or <testsuite>", el)}
				}
			}
			switch {
			case el == "testcase":
				if cur != nil {
					return nil, &Error{File: name, Line: line, Msg: "<testcase> inside <testcase>"}
				}
				c := Case{Status: Passed, Source: name, Line: line}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "name":
						c.Name = a.Value
					case "classname":
						c.Classname = a.Value
					case "file":
						c.File = a.Value
					case "time":
						v := strings.ReplaceAll(strings.TrimSpace(a.Value), ",", "")
						if v == "" {
							break
						}
						f, err := strconv.ParseFloat(v, 64)
						if err != nil || f < 0 {
							return nil, &Error{File: name, Line: line, Msg: fmt.Sprintf("testcase time %q is not a number of seconds", a.Value)}
						}
						c.Time = f
					}
				}
				if c.Name == "" {
					return nil, &Error{File: name, Line: line, Msg: "<testcase> has no name attribute"}
				}
				cur = &c
			case cur != nil && (el == "failure" || el == "error"):
				cur.Status = Failed
			case cur != nil && el == "skipped":
				if cur.Status != Failed {
					cur.Status = Skipped
				}
			}
			stack = append(stack, el)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if t.Name.Local == "testcase" && cur != nil {
				cases = append(cases, *cur)
				cur = nil
			}
		}
	}
	if root == "" {
		return nil, &Error{File: name, Line: 1, Msg: "not JUnit XML: no <testsuites> or <testsuite> element"}
	}
	if len(stack) > 0 {
		l, _ := dec.InputPos()
		return nil, &Error{File: name, Line: l, Msg: "malformed XML: unexpected end of file inside <" + stack[len(stack)-1] + ">"}
	}
	return cases, nil
}

// goEvent is one line of go test -json (test2json) output.
type goEvent struct {
	Action  string
	Package string
	Test    string
	Elapsed *float64
}

// parseGoJSON reads go test -json output: one JSON object per line; a test's outcome is
// its pass, fail or skip event. Lines that are not JSON (build output mixed in) are errors,
// since a truncated file must not read as a passing run.
func parseGoJSON(name string, data []byte) ([]Case, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var cases []Case
	started := map[string]int{} // package\x00test → line of its run event
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if len(line) == 0 {
			continue
		}
		var ev goEvent
		if err := json.Unmarshal(line, &ev); err != nil || ev.Action == "" {
			msg := "not a go test -json event"
			if err != nil {
				msg += ": " + err.Error()
			}
			return nil, &Error{File: name, Line: n, Msg: msg}
		}
		if ev.Test == "" {
			continue
		}
		key := ev.Package + "\x00" + ev.Test
		var st Status
		switch ev.Action {
		case "run":
			started[key] = n
			continue
		case "pass":
			st = Passed
		case "fail":
			st = Failed
		case "skip":
			st = Skipped
		default:
			continue
		}
		c := Case{Name: ev.Test, Classname: ev.Package, Status: st, Source: name, Line: n}
		if ev.Elapsed != nil {
			c.Time = *ev.Elapsed
		}
		cases = append(cases, c)
		delete(started, key)
	}
	if err := sc.Err(); err != nil {
		return nil, &Error{File: name, Msg: "cannot read: " + err.Error()}
	}
	// A test that started and never ended (a crash, a timeout) failed.
	var open []Case
	for key, n := range started {
		pkg, test, _ := strings.Cut(key, "\x00")
		open = append(open, Case{Name: test, Classname: pkg, Status: Failed, Source: name, Line: n})
	}
	slices.SortFunc(open, func(a, b Case) int { return a.Line - b.Line })
	cases = append(cases, open...)
	return cases, nil
}
