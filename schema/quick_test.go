package schema

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqtrail/reqtrail/pkg/record"
)

var extraFields = map[string]any{
	"customer-tier": map[string]any{"enum": []any{"gold", "silver", "bronze"}},
	"ticket":        map[string]any{"type": "string", "pattern": "^T-[0-9]+$", "minLength": float64(3)},
	"score":         map[string]any{"type": "number", "minimum": float64(0), "maximum": float64(1)},
	"flags":         map[string]any{"type": "array", "items": map[string]any{"type": "boolean"}, "maxItems": float64(3)},
}

// extraValues extend built-in enumerations as reqtrail.yaml's values: does.
var extraValues = map[string][]string{
	"type": {"epic"}, "source.channel": {"wechat", "app-store"}, "links.type": {"blocks"},
	"necessity": {"nice"}, "feasibility": {"unknown"}, "verification": {"review"},
}

func validators(t testing.TB) map[string]*Validator {
	out := map[string]*Validator{}
	for _, kind := range []string{"requirement", "change", "acceptance", "feedback", "evaluation", "config"} {
		v, err := For(kind, nil)
		if err != nil {
			t.Fatal(err)
		}
		out[kind] = v
	}
	v, err := For("requirement", extraFields)
	if err != nil {
		t.Fatal(err)
	}
	out["requirement+fields"] = v
	v, err = Extended("requirement", Extension{Fields: extraFields, Values: extraValues})
	if err != nil {
		t.Fatal(err)
	}
	out["requirement+values"] = v
	return out
}

func TestQuickCompiles(t *testing.T) {
	for name, v := range validators(t) {
		if v.quick == nil {
			t.Errorf("%s: the quick check does not model this schema", name)
		}
	}
}

// agree parses data as kind and checks that the quick check never calls valid what
// jsonschema rejects; it reports whether the quick check said valid.
func agree(t *testing.T, v *Validator, kind record.Kind, name string, data []byte) bool {
	rec, perr := record.Parse(name, kind, data, v.Shape)
	if perr != nil {
		return false
	}
	fields := rec.Fields()
	// The check read in place gives the same answer as on the decoded fields.
	if read, perr := record.Read(name, kind, data, v.Shape); perr == nil {
		n, ok := read.Root()
		if !ok {
			t.Fatalf("%s: a record read holds no compact form", name)
		}
		if got, want := v.quick.validNode(n), v.quick.valid(fields); got != want {
			t.Fatalf("%s: quick check read in place says %v, on the decoded fields %v\n%s", name, got, want, data)
		}
	}
	if !v.quick.valid(fields) {
		return false
	}
	if err := v.schema.Validate(fields); err != nil {
		t.Fatalf("%s: quick check says valid, jsonschema says: %v\n%s", name, err, data)
	}
	return true
}

// TestQuickOnRealRecords: every record of the example and the rule fixtures, valid or not,
// gets the same verdict as jsonschema whenever the quick check says valid, and the valid
// example records all take the fast path.
func TestQuickOnRealRecords(t *testing.T) {
	vs := validators(t)
	for _, root := range []string{"../examples/customer-service", "../pkg/lint/testdata"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, ".yaml") {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var kind record.Kind
			var v *Validator
			switch {
			case strings.Contains(p, "/reqs/"):
				kind, v = record.RequirementKind, vs["requirement+fields"]
			case strings.Contains(p, "/changes/"):
				kind, v = record.ChangeKind, vs["change"]
			case strings.Contains(p, "/acceptance/"):
				kind, v = record.AcceptanceKind, vs["acceptance"]
			case strings.Contains(p, "/feedback/"):
				kind, v = record.FeedbackKind, vs["feedback"]
			case strings.Contains(p, "/evaluations/"):
				kind, v = record.EvaluationKind, vs["evaluation"]
			case filepath.Base(p) == "reqtrail.yaml":
				kind, v = "", vs["config"]
			default:
				return nil
			}
			fast := agree(t, v, kind, filepath.ToSlash(p), data)
			if strings.Contains(p, "examples/") && !fast {
				t.Errorf("%s: valid example record missed the fast path", p)
			}
			return nil
		})
	}
}

// quickNames are the validators FuzzQuick picks from (by its which argument).
var quickNames = []string{"requirement", "requirement+fields", "change", "acceptance", "evaluation", "config", "requirement+values", "feedback"}

// valueDocs use values: and urgency: (which: 5 the configuration, 6 requirements with
// values: applied), valid and not.
var valueDocs = []struct {
	doc   string
	which int
	valid bool
}{
	{"---\nid: REQ-0003\ntitle: T\ntype: epic\nnecessity: nice\nsource: {channel: wechat}\nlinks: [{type: blocks, to: REQ-0001}]\n---\n", 6, true},
	{"---\nid: REQ-0003\ntitle: T\ntype: story\nverification: review\nfeasibility: unknown\n---\n", 6, false},
	{"---\nid: REQ-0003\ntitle: T\ntype: epic\n---\n", 0, false},
	{"---\nvalues: {source.channel: [wechat, {value: app-store, zh-CN: 应用商店}], type: [epic]}\nurgency: {urgent: 4, routine: 0}\n---\n", 5, true},
	{"---\nvalues: {colour: [red]}\n---\n", 5, false},
	{"---\nvalues: {type: [{zh-CN: x}]}\n---\n", 5, false},
	{"---\nvalues: {type: [' a']}\n---\n", 5, true}, // the schema lets it through; config.Load rejects it
	{"---\nvalues: {type: [{value: a, en: b}]}\n---\n", 5, false},
	{"---\nurgency: {urgent: -1}\n---\n", 5, false},
	{"---\nurgency: {important: 1.5}\n---\n", 5, false},
	{"---\nurgency: {someday: 3}\n---\n", 5, false},
}

// TestQuickValues: with values: applied, the quick check and jsonschema agree, and the
// valid documents take the fast path.
func TestQuickValues(t *testing.T) {
	vs := validators(t)
	names := quickNames
	for i, d := range valueDocs {
		kind := record.RequirementKind
		if names[d.which] == "config" {
			kind = ""
		}
		v := vs[names[d.which]]
		fast := agree(t, v, kind, "x.md", []byte(d.doc))
		rec, _ := record.Parse("x.md", kind, []byte(d.doc), v.Shape)
		if got := len(v.Validate(rec)) == 0; got != d.valid {
			t.Errorf("doc %d: valid %v, want %v: %v", i, got, d.valid, v.Validate(rec))
		}
		if d.valid && !fast {
			t.Errorf("doc %d: valid but missed the fast path", i)
		}
	}
}

// FuzzQuick: whatever the document, the quick check never accepts what jsonschema rejects.
func FuzzQuick(f *testing.F) {
	for _, s := range []string{
		"---\nid: REQ-0001\ntitle: T\nstatus: approved\npriority: {moscow: must, ice: {impact: 9, confidence: 8, ease: 6}}\n---\n",
		"---\nid: REQ-0001\ntitle: T\ndue: 2024-02-30\nrelease: 2024.10\ncustomer-tier: gold\nscore: 0.5\nflags: [true, false]\nticket: T-12\n---\n",
		"---\nid: CR-0001\ntitle: c\naffects: []\ndecision: {by: b, date: 2024-01-01}\nimpact: {cost: low}\n---\n",
		"---\nid: ACC-0001\ntitle: a\nrequirements: [{id: REQ-0001, fingerprint: 0123456789ab}]\ncriteria: [{criterion: c, met: true}]\n---\n",
		"---\nkinds: {requirement: {dir: reqs, digits: 4}}\nrules: {parse: off}\nfields: {requirement: {x: {type: string}}}\n---\n",
		"---\nid: 1\ntitle: ''\nlinks: [{type: depends-on, to: 7}, x]\ntags: [1, null]\n---\n",
		"---\nid: REQ-0002\ntitle: T\nparent: {id: REQ-0001, fingerprint: 0123456789ab}\nlinks: [{type: derived-from, to: REQ-0003, fingerprint: 51c0a9e2d7f4}]\n---\n",
		"---\nid: REQ-0002\ntitle: T\nparent: {id: REQ-0001}\nlinks: [{type: relates-to, to: REQ-0003, fingerprint: 51C0}]\n---\n",
		"---\nid: REQ-0002\ntitle: T\nparent: 12\n---\n",
		"---\nid: REQ-0003\ntitle: T\nmetrics: [{name: m, unit: s, baseline: 95, target: 30}, {name: n, target: 90, better: higher}, {name: o, target: 1}]\n---\n",
		"---\nid: EVAL-0001\ntitle: e\ndate: 2024-10-20\nby: d\nrequirements: [REQ-0001]\nperiod: {from: 2024-10-01, to: 2024-10-14}\nresults: [{requirement: REQ-0001, metric: m, actual: 24}, {metric: c, unit: '%', baseline: 4.2, target: 3.0, actual: 2.1}]\nverdict: met\nfollow-up: [CR-0007]\n---\n",
		"---\nid: FB-0001\ntitle: f\ndate: 2024-06-12\ncustomer: Customer A\nchannel: sales\nweight: 3\nrequirements: [REQ-0001]\n---\n",
		"---\nid: FB-0002\ntitle: f\ndate: 2024-06-31\ncustomer: ''\nchannel: fax\nweight: 11\nrequirements: [1]\n---\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	for _, s := range valueDocs {
		f.Add([]byte(s.doc), uint8(s.which))
	}
	vs := validators(f)
	names := quickNames
	kinds := map[string]record.Kind{"requirement": record.RequirementKind, "requirement+fields": record.RequirementKind, "requirement+values": record.RequirementKind,
		"change": record.ChangeKind, "acceptance": record.AcceptanceKind, "evaluation": record.EvaluationKind, "config": "", "feedback": record.FeedbackKind}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		name := names[int(which)%len(names)]
		agree(t, vs[name], kinds[name], "x.md", data)
	})
}
