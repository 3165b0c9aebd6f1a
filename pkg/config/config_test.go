package config

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/record"
)

func load(t *testing.T, yaml string) (*Config, []diag.Diagnostic) {
	t.Helper()
	return Load(fstest.MapFS{FileName: {Data: []byte(yaml)}})
}

func TestDefaults(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"missing":      {},
		"empty":        {FileName: {Data: nil}},
		"blank":        {FileName: {Data: []byte("\xef\xbb\xbf \n\n")}},
		"comment only": {FileName: {Data: []byte("# nothing yet\n")}},
	} {
		c, ds := Load(fsys)
		if len(ds) != 0 {
			t.Errorf("%s: %v", name, ds)
		}
		if k := c.Kinds[record.RequirementKind]; k != (Kind{Dir: "reqs", Prefix: "REQ", Digits: 4}) {
			t.Errorf("%s: requirement kind %+v", name, k)
		}
		if c.Site.Lang != "en" || len(c.Rules) != 0 || len(c.Trace) != 0 {
			t.Errorf("%s: %+v", name, c)
		}
	}
}

func TestLoad(t *testing.T) {
	c, ds := load(t, `project: Customer Service
kinds:
  requirement: {dir: needs/, prefix: NEED}   # digits stay 4
  change: {digits: 3}
trace:
  - {path: src}
  - {path: "**/*_test.go", role: test}
rules:
  requirement-untested: error
  acceptance-stale: off
fields:
  requirement:
    customer-tier: {enum: [gold, silver]}
site: {title: Service, lang: zh-CN, repo-url: https://example.com/x}
gate: {authorise: while-approved}
`)
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	if c.Project != "Customer Service" {
		t.Errorf("project %q", c.Project)
	}
	if k := c.Kinds[record.RequirementKind]; k != (Kind{Dir: "needs", Prefix: "NEED", Digits: 4}) {
		t.Errorf("requirement kind %+v", k)
	}
	if k := c.Kinds[record.ChangeKind]; k != (Kind{Dir: "changes", Prefix: "CR", Digits: 3}) {
		t.Errorf("change kind %+v", k)
	}
	if len(c.Trace) != 2 || c.Trace[0] != (Trace{Path: "src", Role: "impl"}) || c.Trace[1] != (Trace{Path: "**/*_test.go", Role: "test"}) {
		t.Errorf("trace %+v", c.Trace)
	}
	if c.Severity("requirement-untested", diag.Warning) != diag.Error || c.Severity("acceptance-stale", diag.Warning) != diag.Off ||
		c.Severity("parse", diag.Error) != diag.Error {
		t.Errorf("rules %v", c.Rules)
	}
	if _, ok := c.Fields[record.RequirementKind]["customer-tier"]; !ok {
		t.Errorf("fields %v", c.Fields)
	}
	if c.Site != (Site{Title: "Service", Lang: "zh-CN", RepoURL: "https://example.com/x"}) {
		t.Errorf("site %+v", c.Site)
	}
	if c.Gate.Authorise != "while-approved" {
		t.Errorf("gate %+v", c.Gate)
	}
	if c.Record == nil || c.Record.PosOf("site", "lang").Line != 14 {
		t.Errorf("positions of reqtrail.yaml are not kept")
	}
}

func TestLoadProblems(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"list", "- a\n", "1:1: error: front matter must be a mapping"},
		{"scalar", "hello\n", "1:1: error: front matter must be a mapping"},
		{"broken YAML", "kinds: {requirement: [\n", "invalid YAML"},
		{"invalid UTF-8", "project: \xff\n", "UTF-8"},
		{"unknown key", "projekt: x\n", "projekt"},
		{"dir outside", "kinds:\n  requirement: {dir: ../x}\n", "2:22: error: kinds.requirement.dir: \"../x\" must be a relative folder inside the project"},
		{"absolute dir", "kinds:\n  change: {dir: /etc}\n", "kinds.change.dir"},
		{"trace outside", "trace:\n  - {path: ../src}\n", "trace[0].path"},
		{"same prefix", "kinds:\n  change: {prefix: REQ}\n", "kinds.change.prefix \"REQ\" is already the prefix of requirement"},
		{"bad field schema", "fields:\n  requirement:\n    x: {type: nonsense}\n", "3:5: error: "},
		{"bad severity", "rules:\n  parse: loud\n", "rules.parse"},
	} {
		c, ds := load(t, tc.yaml)
		var msgs []string
		for _, d := range ds {
			msgs = append(msgs, d.String())
		}
		all := strings.Join(msgs, "\n")
		if !strings.Contains(all, tc.want) {
			t.Errorf("%s: diagnostics\n%s\nlack %q", tc.name, all, tc.want)
		}
		for _, d := range ds {
			if d.File() != FileName || d.Severity != diag.Error {
				t.Errorf("%s: %v", tc.name, d)
			}
		}
		if c == nil || c.Kinds[record.RequirementKind].Dir == "" {
			t.Errorf("%s: no defaults to fall back on", tc.name)
		}
	}
}

func TestIDs(t *testing.T) {
	c := Default()
	for id, want := range map[string]bool{"REQ-0001": true, "REQ-9999": true, "REQ-12345": true, "REQ-00001": false,
		"REQ-1": false, "REQ-": false, "REQ-00a1": false, "CR-0001": false, "req-0001": false} {
		if got := c.ValidID(record.RequirementKind, id); got != want {
			t.Errorf("ValidID(%s) = %v", id, got)
		}
	}
	if got := c.FormatID(record.AcceptanceKind, 42); got != "ACC-0042" {
		t.Errorf("FormatID = %s", got)
	}
	if k, ok := c.KindOfID("CR-0007"); !ok || k != record.ChangeKind {
		t.Errorf("KindOfID(CR-0007) = %s, %v", k, ok)
	}
	if _, ok := c.KindOfID("XYZ-0001"); ok {
		t.Error("KindOfID(XYZ-0001) found a kind")
	}
	if k, ok := c.KindOfDir("reqs/chat/REQ-0001.md"); !ok || k != record.RequirementKind {
		t.Errorf("KindOfDir = %s, %v", k, ok)
	}
	if _, ok := c.KindOfDir("reqsx/REQ-0001.md"); ok {
		t.Error("KindOfDir(reqsx/…) found a kind")
	}
}

// FuzzLoad: any reqtrail.yaml loads without a panic, gives diagnostics only on reqtrail.yaml,
// and leaves every kind with a usable folder, prefix and digits.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{"", "project: x\n", "- a\n", "kinds:\n  requirement: {dir: ../x, digits: 0}\n",
		"fields:\n  requirement:\n    x: {type: string}\n", "rules: {parse: off}\n", "trace: [{path: src}]\n",
		"site: {lang: zh-CN}\n", "kinds: {change: {prefix: REQ}}\n", "a: &x 1\nb: *x\n", "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, ds := Load(fstest.MapFS{FileName: {Data: data}})
		for _, d := range ds {
			if d.File() != FileName {
				t.Fatalf("diagnostic on %s", d.File())
			}
		}
		for _, k := range record.AllKinds() {
			kc := c.Kinds[k]
			if kc.Dir == "" || strings.HasPrefix(kc.Dir, "/") || strings.HasPrefix(kc.Dir, "../") || kc.Dir == ".." || kc.Prefix == "" || kc.Digits < 1 || kc.Digits > 12 {
				t.Fatalf("kind %s: %+v", k, kc)
			}
		}
	})
}
