package gate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/config"
	"github.com/reqtrail/reqtrail/pkg/diag"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/pos"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// Options tune a check.
type Options struct {
	// Lint returns the lint findings of a repo, exactly as `reqtrail lint` computes them. When
	// nil, lint.Run with no extras is used.
	Lint func(*repo.Repo) []diag.Diagnostic
	// Rev is the project at REV, the revision given with --base, when it is not the merge
	// base itself (nil when it is): for rule 8's cross-branch id collisions and the
	// merge-or-rebase hint.
	Rev *repo.Repo
	// RevName is REV as given on the command line, for messages.
	RevName string
}

// Result is the outcome of a check.
type Result struct {
	Changes []Change `json:"changes"`
	// Diagnostics are the gate's findings and the lint findings that are new at head; the
	// error-severity ones fail the check.
	Diagnostics []diag.Diagnostic `json:"diagnostics"`
	// PreExisting are head's lint findings that already existed at the merge base.
	PreExisting []diag.Diagnostic `json:"preexisting"`
	// Files is the number of record files at head.
	Files int `json:"-"`
}

// Failed reports whether the result has error-severity findings.
func (r *Result) Failed() bool {
	for _, d := range r.Diagnostics {
		if d.Severity == diag.Error {
			return true
		}
	}
	return false
}

// ConfigLoads reports whether r's reqtrail.yaml loaded: it is absent, or it was read without
// a parse or schema finding.
func ConfigLoads(r *repo.Repo) bool {
	for _, d := range r.Diags {
		if d.File() == config.FileName && (d.Rule == "parse" || d.Rule == "schema") {
			return false
		}
	}
	return true
}

// Judging returns the configuration that judges head (SPEC §6): the merge base's, except
// where records live (kinds.*.dir, head's own), the names head adds under fields: and the
// values it adds under values: (they widen what a record may say). When base's configuration does not load, head's judges.
// It is meant for repo.Options.Configure when loading head.
func Judging(base *repo.Repo) func(*config.Config) *config.Config {
	return func(head *config.Config) *config.Config {
		if !ConfigLoads(base) {
			return head
		}
		b := base.Config
		c := *b
		c.Record = head.Record // positions of head's file, for its diagnostics
		c.Kinds = maps.Clone(b.Kinds)
		for k, kc := range c.Kinds {
			kc.Dir = head.Kinds[k].Dir
			c.Kinds[k] = kc
		}
		c.Fields = map[record.Kind]map[string]any{}
		for k, m := range b.Fields {
			c.Fields[k] = maps.Clone(m)
		}
		c.Values = maps.Clone(b.Values)
		for key, vs := range head.Values {
			for _, v := range vs {
				if !slices.Contains(c.Values[key], v) {
					if c.Values == nil {
						c.Values = map[string][]config.Value{}
					}
					c.Values[key] = append(slices.Clip(c.Values[key]), v)
				}
			}
		}
		for k, m := range head.Fields {
			for name, def := range m {
				if _, had := c.Fields[k][name]; had {
					continue
				}
				if c.Fields[k] == nil {
					c.Fields[k] = map[string]any{}
				}
				c.Fields[k][name] = def
			}
		}
		return &c
	}
}

// Adoption reports whether base is a revision before the project came under reqtrail: no
// reqtrail.yaml and no records. The pull request that adopts reqtrail is judged by lint alone.
func Adoption(base *repo.Repo) bool {
	if len(base.Records) > 0 {
		return false
	}
	_, err := fs.Stat(base.FS, config.FileName)
	return errors.Is(err, fs.ErrNotExist)
}

// Check compares base (the merge base) with head and applies the rules of SPEC §6. Head is
// expected to be loaded under Judging(base).
func Check(base, head *repo.Repo, opts Options) *Result {
	lintOf := opts.Lint
	if lintOf == nil {
		lintOf = func(r *repo.Repo) []diag.Diagnostic { return lint.Run(r, lint.Options{}) }
	}
	res := &Result{Changes: Compare(base, head), Files: head.Files()}
	if c, ok := configChange(base, head); ok {
		res.Changes = append(res.Changes, c)
	}

	var gateDiags []diag.Diagnostic
	if !Adoption(base) {
		j := newJudge(base, head, opts)
		for i := range res.Changes {
			gateDiags = append(gateDiags, j.judge(&res.Changes[i])...)
		}
		gateDiags = append(gateDiags, j.collisions()...)
	}
	// The gate's own rules take their severity from the judging configuration: a pull
	// request cannot switch off the gate that judges it.
	cfgRepo := base
	if !ConfigLoads(base) {
		cfgRepo = head
	}
	gateDiags = finishWith(cfgRepo, gateDiags)

	// The merge base's lint only sorts head's findings into new and pre-existing (rule 7):
	// a head without findings needs none.
	var baseLint []diag.Diagnostic
	headLint := lintOf(head)
	if len(headLint) > 0 {
		baseLint = lintOf(base)
	}
	baseKeys, headKeys := newKeyer(base), newKeyer(head)
	seen := map[string]int{}
	for _, d := range baseLint {
		seen[baseKeys.key(d)]++
	}
	for _, d := range headLint {
		k := headKeys.key(d)
		if seen[k] > 0 {
			seen[k]--
			res.PreExisting = append(res.PreExisting, d)
			continue
		}
		res.Diagnostics = append(res.Diagnostics, d)
	}
	if !ConfigLoads(base) {
		// The base's broken reqtrail.yaml is listed (head's configuration judged instead).
		for _, d := range base.Diags {
			if d.File() == config.FileName && !slices.Contains(res.PreExisting, d) {
				res.PreExisting = append(res.PreExisting, d)
			}
		}
	}
	res.Diagnostics = diag.Sort(append(res.Diagnostics, gateDiags...))
	res.PreExisting = diag.Sort(res.PreExisting)
	if res.Diagnostics == nil {
		res.Diagnostics = []diag.Diagnostic{}
	}
	if res.PreExisting == nil {
		res.PreExisting = []diag.Diagnostic{}
	}
	return res
}

func finishWith(cfgRepo *repo.Repo, ds []diag.Diagnostic) []diag.Diagnostic {
	out := ds[:0]
	for _, d := range ds {
		sev := lint.Severity(cfgRepo, d.Rule)
		if sev == diag.Off {
			continue
		}
		d.Severity = sev
		out = append(out, d)
	}
	return out
}

// configChange lists a changed reqtrail.yaml with the dotted leaf paths of its keys that differ.
func configChange(base, head *repo.Repo) (Change, bool) {
	ob, oOK := readConfig(base.FS)
	nb, nOK := readConfig(head.FS)
	if oOK == nOK && bytes.Equal(ob, nb) {
		return Change{}, false
	}
	c := Change{File: config.FileName, Kind: Config, Class: Config, AuthorisedBy: []string{}, Fields: []FieldChange{}, Keys: []string{}}
	ol, nl := map[string]any{}, map[string]any{}
	leaves(yamlValue(ob), "", ol)
	leaves(yamlValue(nb), "", nl)
	for k := range ol {
		if _, ok := nl[k]; !ok {
			nl[k] = nil
		}
	}
	for k, v := range nl {
		if k != "" && !reflect.DeepEqual(ol[k], v) {
			c.Keys = append(c.Keys, k)
		}
	}
	slices.Sort(c.Keys)
	for _, k := range c.Keys {
		c.Fields = append(c.Fields, FieldChange{Field: k, Old: ol[k], New: nl[k]})
	}
	return c, true
}

// readConfig returns the bytes of a regular reqtrail.yaml in fsys.
func readConfig(fsys fs.FS) ([]byte, bool) {
	info, err := fs.Stat(fsys, config.FileName)
	if err != nil || !info.Mode().IsRegular() {
		return nil, false
	}
	data, err := fs.ReadFile(fsys, config.FileName)
	return data, err == nil
}

func yamlValue(data []byte) any {
	var v any
	if yaml.Unmarshal(data, &v) != nil {
		return nil
	}
	return v
}

// leaves flattens nested mappings into dotted paths; lists and scalars are leaves.
func leaves(v any, prefix string, out map[string]any) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch m := v.(type) {
	case map[string]any:
		if len(m) > 0 {
			for k, x := range m {
				leaves(x, join(k), out)
			}
			return
		}
	case map[any]any:
		if len(m) > 0 {
			for k, x := range m {
				leaves(x, join(fmt.Sprint(k)), out)
			}
			return
		}
	}
	out[prefix] = v
}

// judge holds what the rules need to know about both sides.
type judge struct {
	base, head, rev *repo.Repo
	revName         string
	// whileApproved: gate: {authorise: while-approved} in the judging configuration.
	whileApproved bool
}

func newJudge(base, head *repo.Repo, opts Options) *judge {
	j := &judge{base: base, head: head, rev: opts.Rev, revName: opts.RevName}
	cfg := base.Config
	if !ConfigLoads(base) {
		cfg = head.Config
	}
	j.whileApproved = cfg.Gate.Authorise == "while-approved"
	if j.revName == "" {
		j.revName = "the base branch"
	}
	return j
}

func changeAt(r *repo.Repo, id string) *record.Record {
	if r == nil {
		return nil
	}
	if rec := r.ByID[id]; rec != nil && rec.Kind == record.ChangeKind && rec.Change != nil {
		return rec
	}
	return nil
}

func crStatus(r *repo.Repo, id string) string {
	if rec := changeAt(r, id); rec != nil {
		return rec.Change.Status
	}
	return ""
}

func whileApprovedField(rec *record.Record) bool {
	s, _ := rec.Fields()["authorise"].(string)
	return s == "while-approved"
}

// authorisers returns the change requests that authorise a change to requirement id (SPEC
// §6): listed in affects, approved at the merge base, and implemented or closed at head —
// or still approved at head when the request (or the project's gate: setting) says
// authorise: while-approved. With action set, only requests with that action count.
func (j *judge) authorisers(id, action string) []string {
	out := []string{}
	for _, cr := range j.base.Parsed(record.ChangeKind) {
		if cr.Change == nil || j.base.ByID[cr.ID] != cr || cr.Change.Status != "approved" {
			continue
		}
		if !slices.Contains(cr.Change.Affects, id) || action != "" && cr.Change.Action != action {
			continue
		}
		switch crStatus(j.head, cr.ID) {
		case "implemented", "closed":
			out = append(out, cr.ID)
		case "approved":
			if j.whileApproved || whileApprovedField(cr) {
				out = append(out, cr.ID)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// hint says which change requests are on their way to authorising a change to id: approved
// at the merge base but not yet moved on, approved only in this pull request, or approved
// at REV after this branch forked (merge or rebase).
func (j *judge) hint(id, action string) string {
	fits := func(rec *record.Record) bool {
		return rec != nil && slices.Contains(rec.Change.Affects, id) && (action == "" || rec.Change.Action == action)
	}
	var pending, here, atRev []string
	for _, cr := range j.head.Parsed(record.ChangeKind) {
		if cr.Change == nil || j.head.ByID[cr.ID] != cr || !fits(cr) {
			continue
		}
		baseCR := changeAt(j.base, cr.ID)
		switch {
		case baseCR != nil && baseCR.Change.Status == "approved" && fits(baseCR) && cr.Change.Status == "approved":
			pending = append(pending, cr.ID)
		case cr.Change.Status == "approved" && (baseCR == nil || baseCR.Change.Status != "approved"):
			if revCR := changeAt(j.rev, cr.ID); revCR != nil && revCR.Change.Status == "approved" && fits(revCR) {
				atRev = append(atRev, cr.ID)
			} else {
				here = append(here, cr.ID)
			}
		}
	}
	if j.rev != nil {
		for _, cr := range j.rev.Parsed(record.ChangeKind) {
			if cr.Change == nil || cr.Change.Status != "approved" || !fits(cr) || slices.Contains(atRev, cr.ID) {
				continue
			}
			if b := changeAt(j.base, cr.ID); b == nil || b.Change.Status != "approved" {
				atRev = append(atRev, cr.ID)
			}
		}
	}
	var parts []string
	if len(pending) > 0 {
		parts = append(parts, fmt.Sprintf("%s would authorise it once moved to implemented in this pull request", strings.Join(pending, ", ")))
	}
	if len(atRev) > 0 {
		slices.Sort(atRev)
		parts = append(parts, fmt.Sprintf("%s is approved on %s but not at this branch's merge base: merge or rebase onto %s", strings.Join(slices.Compact(atRev), ", "), j.revName, j.revName))
	}
	if len(here) > 0 {
		parts = append(parts, fmt.Sprintf("%s is approved in this same pull request, which authorises nothing: merge the approval first, then make the change in the pull request that moves it to implemented", strings.Join(here, ", ")))
	}
	if len(parts) == 0 {
		what := "a change request"
		if action != "" {
			what = "a change request with action: " + action
		}
		return fmt.Sprintf("%s that lists %s in affects, approved at the merge base, authorises it in the pull request that moves it to implemented", what, id)
	}
	return strings.Join(parts, "; ")
}

func at(rec *record.Record, where pos.Spanner, rule, format string, args ...any) diag.Diagnostic {
	d := lint.Report(rec, where, format, args...)
	d.Rule = rule
	return d
}

// fixed sets d's fix hint (for the pull-request comment).
func fixed(d diag.Diagnostic, format string, args ...any) diag.Diagnostic {
	d.Fix = fmt.Sprintf(format, args...)
	return d
}

// The fix hints of the gate's findings.
const (
	fixDeleted       = "Add a change request with `action: remove` and `affects: [%s]`, approved in an earlier pull request, and move it to `implemented` in this one; or restore the file."
	fixAdded         = "Add it as a draft (`status: new`), or use a change request with `action: add` and `affects: [%s]`, approved in an earlier pull request, moved to `implemented` in this one."
	fixMeaning       = "Use a change request with `affects: [%s]`, approved in an earlier pull request (merge or rebase onto it), and move it to `implemented` in this one; or revert the change."
	fixAcceptance    = "Revert the edit; when the customer accepts the changed text, record a new acceptance that supersedes this one (`reqtrail accept --again %s --by NAME`)."
	fixDecidedChange = "Revert the edit to the decided change request; raise a new change request for a new decision."
	fixTransition    = "Move the requirement to `approved` in a pull request of its own (approval is a decision), then on to %s."
	fixCollision     = "Give this branch's record the next free id: `reqtrail renumber %s`."
)

const untraced, transition = lint.RuleUntracedChange, lint.RuleStatusTransition

// judge fills c.AuthorisedBy and returns the gate findings for one change (rules 1–7).
func (j *judge) judge(c *Change) []diag.Diagnostic {
	switch c.Kind {
	case record.RequirementKind:
		return j.judgeRequirement(c)
	case record.ChangeKind:
		return judgeChange(c)
	case record.AcceptanceKind:
		return judgeAcceptance(c)
	}
	return nil
}

func (j *judge) judgeRequirement(c *Change) []diag.Diagnostic {
	var ds []diag.Diagnostic
	switch c.Class {
	case Deleted:
		if !Baselined(c.OldStatus) {
			return nil // a draft may be withdrawn freely
		}
		c.AuthorisedBy = j.authorisers(c.ID, "remove")
		if len(c.AuthorisedBy) == 0 {
			ds = append(ds, fixed(at(c.Old, pos.FileStart(c.Old.File), untraced,
				"%s (%s at the merge base) was deleted and no change request with action: remove authorises it; %s", c.ID, c.OldStatus, j.hint(c.ID, "remove")), fixDeleted, c.ID))
		}
		return ds
	case Added:
		if Draft(c.NewStatus) {
			return nil
		}
		c.AuthorisedBy = j.authorisers(c.ID, "add")
		if len(c.AuthorisedBy) == 0 {
			ds = append(ds, fixed(at(c.New, c.New.RangeOf("status"), untraced,
				"%s was added with status %s and no change request with action: add authorises it; a new requirement starts as a draft (new), or %s", c.ID, c.NewStatus, j.hint(c.ID, "add")), fixAdded, c.ID))
		}
		return ds
	}
	if c.BaseUnparsed {
		c.AuthorisedBy = j.authorisers(c.ID, "")
		if len(c.AuthorisedBy) == 0 {
			ds = append(ds, fixed(at(c.New, c.New.KeyRange("id"), untraced,
				"%s did not parse at the merge base, so it counts as baselined and its meaning cannot be compared; %s", c.ID, j.hint(c.ID, "")), fixMeaning, c.ID))
		}
		return ds
	}
	baselined := Baselined(c.OldStatus)
	meaning := c.OldFingerprint != c.NewFingerprint || metricsChanged(c.Old, c.New)
	leaving := baselined && Draft(c.NewStatus)
	if baselined && (meaning || leaving) {
		c.AuthorisedBy = j.authorisers(c.ID, "")
	}
	if baselined && meaning && len(c.AuthorisedBy) == 0 {
		ds = append(ds, fixed(at(c.New, c.New.KeyRange("id"), untraced,
			"%s is baselined (%s at the merge base) and changed in meaning (%s) with no authorising change request; %s (or revert the change)",
			c.ID, c.OldStatus, meaningParts(c), j.hint(c.ID, "")), fixMeaning, c.ID))
	}
	if leaving && len(c.AuthorisedBy) == 0 {
		ds = append(ds, fixed(at(c.New, c.New.RangeOf("status"), untraced,
			"%s left the baseline (status %s → %s) with no authorising change request: leaving the baseline is a change to it; %s", c.ID, c.OldStatus, c.NewStatus, j.hint(c.ID, "")), fixMeaning, c.ID))
	}
	if from, to := c.OldStatus, c.NewStatus; !Legal(from, to) && Known(from) && Known(to) {
		ds = append(ds, fixed(at(c.New, c.New.RangeOf("status"), transition,
			"%s: status %s → %s is not a legal transition (%s)", c.ID, from, to, TransitionHint(from, to)), fixTransition, to))
	}
	return ds
}

// meaningParts names which of title, acceptance criteria, body and metrics changed, with
// the fingerprints.
func meaningParts(c *Change) string {
	var parts []string
	for _, f := range c.Fields {
		switch f.Field {
		case "title", "acceptance-criteria", "body", "metrics":
			parts = append(parts, strings.ReplaceAll(f.Field, "-", " "))
		}
	}
	what := "its text changed"
	if len(parts) > 0 {
		what = strings.Join(parts, ", ") + " changed"
	}
	if c.OldFingerprint != c.NewFingerprint {
		what += fmt.Sprintf("; fingerprint %s → %s", c.OldFingerprint, c.NewFingerprint)
	}
	return what
}

// laterCR lists the statuses a decided change request may move on to (rule 5).
var laterCR = map[string][]string{
	"approved":    {"implemented", "closed"},
	"implemented": {"closed"},
	"rejected":    {"closed"},
	"closed":      {},
}

func judgeChange(c *Change) []diag.Diagnostic {
	o := c.Old
	if o == nil || o.Change == nil || !vocab.IsDecided(o.Change.Status) {
		return nil
	}
	if c.Class == Deleted {
		return []diag.Diagnostic{fixed(at(o, pos.FileStart(o.File), untraced,
			"%s was deleted, but it was already %s at the merge base: a decision is a signed record and stays in the repository", c.ID, o.Change.Status), fixDecidedChange)}
	}
	n := c.New
	if n.Change == nil {
		return nil
	}
	var ds []diag.Diagnostic
	for _, f := range c.Fields {
		switch f.Field {
		case "affects", "action", "decision", "authorise":
			if f.Field == "affects" && sameSet(o.Change.Affects, n.Change.Affects) {
				continue
			}
			var where pos.Spanner = n.KeyRange(f.Field)
			if f.New == nil {
				where = pos.FileStart(n.File)
			}
			ds = append(ds, fixed(at(n, where, untraced,
				"%s was already %s at the merge base; its %s may not change (a decision is a signed record: raise a new change request instead)", c.ID, o.Change.Status, f.Field), fixDecidedChange))
		}
	}
	if from, to := o.Change.Status, n.Change.Status; from != to && !slices.Contains(laterCR[from], to) {
		ds = append(ds, fixed(at(n, n.RangeOf("status"), untraced,
			"%s was already %s at the merge base; only its status may move on (approved → implemented | closed, implemented → closed, rejected → closed), not to %s", c.ID, from, to), fixDecidedChange))
	}
	return ds
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func judgeAcceptance(c *Change) []diag.Diagnostic {
	o := c.Old
	if o == nil || o.Acc == nil {
		return nil
	}
	if c.Class == Deleted {
		return []diag.Diagnostic{fixed(at(o, pos.FileStart(o.File), untraced,
			"acceptance record %s was deleted: an acceptance is the customer's signed record and stays in the repository (a newer acceptance supersedes it)", c.ID), fixAcceptance, c.ID)}
	}
	n := c.New
	if n.Acc == nil {
		return nil
	}
	oa, na := o.Acc, n.Acc
	var changed []string
	if oa.Verdict != na.Verdict {
		changed = append(changed, "verdict")
	}
	if oa.AcceptedBy != na.AcceptedBy {
		changed = append(changed, "accepted-by")
	}
	if oa.Date != na.Date {
		changed = append(changed, "date")
	}
	if !slices.Equal(accIDs(oa, false), accIDs(na, false)) {
		changed = append(changed, "requirements")
	} else if !slices.Equal(accIDs(oa, true), accIDs(na, true)) {
		changed = append(changed, "fingerprint")
	}
	if !reflect.DeepEqual(o.Fields()["criteria"], n.Fields()["criteria"]) {
		changed = append(changed, "criteria")
	}
	var ds []diag.Diagnostic
	for _, f := range changed {
		where := n.KeyRange(f)
		if f == "fingerprint" {
			where = n.KeyRange("requirements")
		}
		ds = append(ds, fixed(at(n, where, untraced,
			"acceptance record %s existed at the merge base and its %s changed: a customer's signature is never moved onto text the customer did not see; revert it and record a new acceptance that supersedes it (reqtrail accept --again %s --by NAME)", c.ID, f, c.ID), fixAcceptance, c.ID))
	}
	return ds
}

// accIDs lists an acceptance's requirement ids, sorted, with their fingerprints when fp.
func accIDs(a *record.AcceptanceRecord, fp bool) []string {
	var ids []string
	for _, r := range a.Requirements {
		if fp {
			ids = append(ids, r.ID+"@"+r.Fingerprint)
		} else {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// collisions is rule 8: ids added both on head and on REV since the merge base, with files
// that differ, collide once both are merged.
func (j *judge) collisions() []diag.Diagnostic {
	if j.rev == nil {
		return nil
	}
	var ds []diag.Diagnostic
	for _, h := range j.head.Records {
		if !h.Parsed() || h.ID == "" || j.head.ByID[h.ID] != h || j.base.ByID[h.ID] != nil {
			continue
		}
		r := j.rev.ByID[h.ID]
		if r == nil || r.File == h.File && bytes.Equal(r.Raw, h.Raw) {
			continue
		}
		d := at(h, h.RangeOf("id"), lint.RuleIDDuplicate,
			"%s was added on this branch and also on %s since the merge base (%s there): the two collide once merged; give this one the next free id with reqtrail renumber %s",
			h.ID, j.revName, r.File, h.ID)
		ds = append(ds, fixed(d, fixCollision, h.ID))
	}
	return ds
}

// keyer computes rule 9's finding key: the rule, the record, and the finding's structured
// subject (diag.Subject: the field path it points at, sequence indexes left out, and the ids
// it names) — never line numbers, fingerprints, dates, counts or the message's wording, so a
// finding inherited from the merge base is recognised after unrelated edits move or reword it.
type keyer struct {
	r      *repo.Repo
	byFile map[string]*record.Record // built at the first finding of the loader
}

func newKeyer(r *repo.Repo) *keyer { return &keyer{r: r} }

func (k *keyer) record(file string) *record.Record {
	if k.byFile == nil {
		k.byFile = make(map[string]*record.Record, len(k.r.Records))
		for _, rec := range k.r.Records {
			k.byFile[rec.File] = rec
		}
	}
	return k.byFile[file]
}

func (k *keyer) key(d diag.Diagnostic) string {
	who := d.ID
	if who == "" {
		who = d.File()
	}
	sub := d.Subject
	if !sub.Known {
		// A finding of the loader (parse, schema): the field its position names.
		if rec := k.record(d.File()); rec != nil {
			sub.Field, _ = rec.FieldAt(d.Pos().Line, d.Pos().Column)
		}
	}
	return d.Rule + "\x00" + who + "\x00" + sub.Field + "\x00" + sub.IDs
}
