package config

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/schema"
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
func TestValues(t *testing.T) {
	c, ds := load(t, `values:
  source.channel: [wechat, dingtalk, {value: app-store, zh-CN: 应用商店}, wechat]
  type: [{value: epic, zh-CN: 史诗}]
  links.type: [blocks]
urgency:
  urgent: 4
  routine: 720
`)
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	if got := c.ExtraValues("source.channel"); !slices.Equal(got, []string{"wechat", "dingtalk", "app-store"}) {
		t.Errorf("source.channel %v", got)
	}
	if n := c.ValueNames(); n["app-store"] != "应用商店" || n["epic"] != "史诗" || len(n) != 2 {
		t.Errorf("names %v", n)
	}
	v, err := c.Validator(record.RequirementKind)
	if err != nil {
		t.Fatal(err)
	}
	if e := v.Enum("type"); !slices.Contains(e, "epic") || !slices.Contains(e, "functional") {
		t.Errorf("type enum %v", e)
	}
	if e := v.Enum("links", "type"); !slices.Contains(e, "blocks") {
		t.Errorf("links.type enum %v", e)
	}
	if e := v.Enum("source", "channel"); !slices.Contains(e, "app-store") {
		t.Errorf("channel enum %v", e)
	}
	base, _ := schema.For(string(record.RequirementKind), nil)
	if slices.Contains(base.Enum("type"), "epic") {
		t.Error("values: leaked into the built-in schema")
	}
	if c.ResponseTarget("urgent") != 4*time.Hour || c.ResponseTarget("important") != 168*time.Hour || c.ResponseTarget("routine") != 720*time.Hour {
		t.Errorf("urgency %v", c.Urgency)
	}
	d := Default()
	if d.ResponseTarget("urgent") != 24*time.Hour || d.ResponseTarget("important") != 168*time.Hour || d.ResponseTarget("routine") != 0 {
		t.Error("default response targets")
	}
}

func TestValuesErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"values:\n  colour: [red]\n", `reqtrail.yaml:2:3: error: values: unknown key "colour"`},
		{"values:\n  type: epic\n", "reqtrail.yaml:2:9: error: values.type:"},
		{"values:\n  type: [{zh-CN: 史诗}]\n", "reqtrail.yaml:2:10: error: values.type[0]:"},
		{"values:\n  type: [' epic']\n", "reqtrail.yaml:2:10: error: values.type[0]:"},
		{"urgency:\n  urgent: -4\n", "reqtrail.yaml:2:11: error: urgency.urgent:"},
		{"urgency:\n  soon: 4\n", `reqtrail.yaml:2:3: error: urgency: unknown key "soon"`},
	} {
		c, ds := load(t, tc.yaml)
		if len(ds) == 0 || !strings.HasPrefix(ds[0].String(), tc.want) {
			t.Errorf("%q: got %v, want %s…", tc.yaml, ds, tc.want)
		}
		if c.ResponseTarget("urgent") != 24*time.Hour || len(c.Values["type"]) > 0 && c.Values["type"][0].Value == "" {
			t.Errorf("%q: a bad entry was kept: %+v %v", tc.yaml, c.Values, c.Urgency)
		}
	}
}

func FuzzLoad(f *testing.F) {
	for _, s := range []string{"", "project: x\n", "- a\n", "kinds:\n  requirement: {dir: ../x, digits: 0}\n",
		"fields:\n  requirement:\n    x: {type: string}\n", "rules: {parse: off}\n", "trace: [{path: src}]\n",
		"site: {lang: zh-CN}\n", "kinds: {change: {prefix: REQ}}\n", "a: &x 1\nb: *x\n", "\xff",
		"values:\n  source.channel: [wechat, {value: app-store, zh-CN: 应用商店}]\n  type: [epic]\n",
		"values: {links.type: [blocks, blocks], colour: [red]}\n", "values: {type: [{zh-CN: x}, 3, '', ' a']}\n",
		"values: {type: epic}\n", "values: [type]\n", "urgency: {urgent: 4, important: 48, routine: 720}\n",
		"urgency: {urgent: -1, important: 1.5, routine: x, never: 1}\n", "urgency: {urgent: 0}\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, ds := Load(fstest.MapFS{FileName: {Data: data}})
		for _, d := range ds {
			if d.File() != FileName {
				t.Fatalf("diagnostic on %s", d.File())
			}
		}
		for key, vs := range c.Values {
			if !slices.Contains(schema.ValueKeys(), key) {
				t.Fatalf("values: key %q kept", key)
			}
			for _, v := range vs {
				if v.Value == "" {
					t.Fatalf("values: %s: an empty value kept", key)
				}
			}
		}
		for _, u := range Urgencies {
			if d := c.ResponseTarget(u); d < 0 || d > maxHours*time.Hour {
				t.Fatalf("urgency %s: %v", u, d)
			}
		}
		for _, k := range record.AllKinds() {
			if _, err := c.Validator(k); err != nil {
				t.Fatalf("validator of %s: %v", k, err)
			}
			kc := c.Kinds[k]
			if kc.Dir == "" || strings.HasPrefix(kc.Dir, "/") || strings.HasPrefix(kc.Dir, "../") || kc.Dir == ".." || kc.Prefix == "" || kc.Digits < 1 || kc.Digits > 12 {
				t.Fatalf("kind %s: %+v", k, kc)
			}
		}
	})
}
