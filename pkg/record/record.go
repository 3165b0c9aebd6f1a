// Package record parses one record file (requirement, change request, acceptance, feedback,
// evaluation) into a Record: the front matter's yaml.v3 node tree (every value with its line
// and column; dropped on read-only loads and parsed again on demand), its compact form, the
// decoded fields and typed view, the references with their ranges, the Markdown body and,
// for requirements, the fingerprint.
package record

import (
	"io/fs"
	"strconv"
	"strings"
	"sync/atomic"

	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/pos"
)

// Kind is the kind of a record, given by the folder it lives under.
type Kind string

// The kinds of record (KindTable describes each).
const (
	RequirementKind Kind = "requirement"
	ChangeKind      Kind = "change"
	AcceptanceKind  Kind = "acceptance"
	FeedbackKind    Kind = "feedback"
	EvaluationKind  Kind = "evaluation"
)

// Record is one parsed record file.
type Record struct {
	Kind Kind
	// File is the path relative to the project root, with forward slashes.
	File string
	// ID and Title are the front matter's id and title when they are strings ("" otherwise).
	ID    string
	Title string
	// tree is the front matter's root mapping node (line numbers relative to the file) while
	// it is kept; see Tree.
	tree atomic.Pointer[yaml.Node]
	// parsed is set when the front matter parsed.
	parsed bool
	// compact is the front matter's compact form (see AppendCompact).
	compact []byte
	// data caches Fields() between Parse and the loader's validation; the loader drops it
	// (DropFields) so 10,000 records do not keep a second copy of their front matter alive.
	data map[string]any
	// shape is the schema shape the record was decoded with.
	shape *Shape
	// Body is the Markdown after the closing front matter line ("" for .yaml files).
	Body string
	// BodyLine is the 1-based line at which the body starts.
	BodyLine int
	// Raw is the file's content as read.
	Raw []byte
	// blob is the git blob id of blobRaw, Raw as it was when the loader recorded it (SetBlob).
	blob    [20]byte
	blobRaw []byte
	// lines indexes Raw's lines for byte offsets and range ends; built on first use.
	lines atomic.Pointer[pos.Lines]
	// refs caches Refs(), built on first use.
	refs atomic.Pointer[[]Ref]
	// Fingerprint is the requirement's fingerprint (SPEC §3); "" for other kinds.
	Fingerprint string

	// Typed views of the fields, one of which is set according to Kind.
	Req    *Requirement
	Change *ChangeRequest
	Acc    *AcceptanceRecord
	Fb     *Feedback
	Eval   *Evaluation
}

// Requirement holds the decoded fields of a requirement. Missing or mistyped fields are
// zero values (the schema reports them).
type Requirement struct {
	Type        string
	Necessity   string
	Status      string // "new" when absent
	MoSCoW      string
	Kano        string
	ICE         ICE
	Value, Cost int
	Urgency     string
	Feasibility string
	Channel     string
	Requester   string
	SourceDate  string
	Owner       string
	Release     string
	Start, Due  string
	Parent      string
	// ParentFingerprint is the pin of a parent written {id, fingerprint}; "" when unpinned.
	ParentFingerprint  string
	Links              []Link
	Verification       string
	AcceptanceCriteria []string
	// Metrics are how success is measured after release (SPEC §3).
	Metrics []Metric
	Tags    []string
}

// Metric is one of a requirement's metrics, or what an evaluation result copied of it.
// Baseline and Target are nil when absent; Better is as written ("" when absent).
type Metric struct {
	Name, Unit       string
	Baseline, Target *float64
	Better           string
}

// Direction is the metric's better direction: Better when written, else "lower" when the
// baseline is above the target and "higher" when below; "" when it cannot be told (SPEC §3).
func (m Metric) Direction() string {
	switch {
	case m.Better != "":
		return m.Better
	case m.Baseline == nil || m.Target == nil || *m.Baseline == *m.Target:
		return ""
	case *m.Baseline > *m.Target:
		return "lower"
	}
	return "higher"
}

// Meets reports whether actual is at or beyond the target in the metric's direction; false
// when the metric has no target or no direction.
func (m Metric) Meets(actual float64) bool {
	if m.Target == nil {
		return false
	}
	switch m.Direction() {
	case "lower":
		return actual <= *m.Target
	case "higher":
		return actual >= *m.Target
	}
	return false
}

// Evaluation holds the decoded fields of an effect evaluation.
type Evaluation struct {
	Date, By     string
	Requirements []string
	From, To     string
	Results      []Result
	Verdict      string
	FollowUp     []string
}

// Result is one measured value of an evaluation. Metric holds what the result itself
// records (the copy `evaluate` made); Actual is nil until the evaluator fills it in.
type Result struct {
	Requirement string
	Metric
	Actual *float64
}

// ICE is the impact × confidence × ease score; zero fields mean unset.
type ICE struct {
	Impact, Confidence, Ease int
}

// Score is impact × confidence × ease, or 0 when any part is unset.
func (i ICE) Score() int { return i.Impact * i.Confidence * i.Ease }

// Link is a typed link to another requirement.
type Link struct {
	Type string
	To   string
	// Fingerprint is the target's fingerprint when the link was last reviewed; "" when the
	// link is not pinned.
	Fingerprint string
}

// ChangeRequest holds the decoded fields of a change request.
type ChangeRequest struct {
	Status      string
	Action      string
	Affects     []string
	RequestedBy string
	Requested   string
	Reason      string
	Impact      map[string]any
	Decision    *Decision
}

// Decision is a change request's recorded decision.
type Decision struct {
	By, Date, Note string
}

// AcceptanceRecord holds the decoded fields of an acceptance record.
type AcceptanceRecord struct {
	Verdict      string
	Date         string
	AcceptedBy   string
	Requirements []Accepted
	Criteria     []Criterion
	Evidence     []string
}

// Feedback holds the decoded fields of a feedback record: one customer's voice, supporting
// the requirements it names (none: untriaged, in the requirement pool).
type Feedback struct {
	Date         string
	Customer     string
	Channel      string
	Contact      string
	Weight       int
	Requirements []string
}

// Accepted is one requirement entry of an acceptance record.
type Accepted struct {
	ID          string
	Fingerprint string
}

// Criterion is one criterion entry of an acceptance record.
type Criterion struct {
	Criterion   string
	Met         *bool
	Requirement string
}

// Fields returns the front matter as JSON-compatible values (map[string]any, []any,
// string, int64, float64, bool, nil): dates and other plain scalars the schema expects as
// strings keep their source text. It is decoded from the compact form on each call once the
// loader has dropped its copy; callers must not modify the result. Nil for an unparsed file.
func (r *Record) Fields() map[string]any {
	if r.data != nil {
		return r.data
	}
	if !r.parsed {
		return nil
	}
	if r.compact != nil {
		if m, err := CompactFields(r.compact, r.shape); err == nil {
			return m
		}
	}
	t := r.Tree()
	if t == nil {
		return nil
	}
	m, _ := Value(t, r.shape).(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// Parsed reports whether the file's front matter parsed (its fields, typed view and
// references are set).
func (r *Record) Parsed() bool { return r.parsed }

// Tree returns the front matter's root mapping node, every node with its line and column
// in the file; nil for a file that did not parse. Read-only loads drop the trees (see
// DropTree and repo.Options.KeepTrees); Tree then parses the front matter again and keeps
// the result, so read-only code should use the typed views, Fields, Refs and SearchText,
// and ask for positions (RangeOf, KeyRange, ValueNode) only for what it reports. The tree is
// shared: callers must not modify it.
func (r *Record) Tree() *yaml.Node {
	if !r.parsed {
		return nil
	}
	if t := r.tree.Load(); t != nil {
		return t
	}
	front, _, fmLine, _, perr := Split(r.Raw, YAMLOnly(r.File))
	if perr != nil {
		return nil
	}
	t, _ := ParseFrontMatter(front, fmLine)
	if t == nil {
		return nil
	}
	reparses.Add(1)
	if r.tree.CompareAndSwap(nil, t) {
		return t
	}
	return r.tree.Load()
}

// reparses counts the trees Tree parsed again after DropTree.
var reparses atomic.Int64

// Reparses returns how many dropped trees Tree has parsed again in this process (tests use
// it to prove that read-only paths do not).
func Reparses() int64 { return reparses.Load() }

// DropTree releases the front matter's node tree, keeping its compact form for Fields and
// SearchText and the references for Refs (Tree parses the front matter again when asked).
func (r *Record) DropTree() {
	t := r.tree.Load()
	if t == nil {
		return
	}
	r.Refs()
	r.tree.Store(nil)
}

// Compact returns the compact form of the front matter (see AppendCompact); nil for a file
// that did not parse. Callers must not modify it.
func (r *Record) Compact() []byte {
	return r.compact
}

// HasShape reports whether the record was decoded with shape (record.Parse's argument).
func (r *Record) HasShape(shape *Shape) bool { return r.shape == shape }

// DropFields releases the cached Fields map; later calls decode it again from Node.
func (r *Record) DropFields() { r.data = nil }

// Status returns the record's status (requirement or change request), verdict for an
// acceptance record; a requirement without status is "new".
func (r *Record) Status() string {
	switch {
	case r.Req != nil:
		return r.Req.Status
	case r.Change != nil:
		return r.Change.Status
	case r.Acc != nil:
		return r.Acc.Verdict
	case r.Eval != nil:
		return r.Eval.Verdict
	}
	return ""
}

// ValueNode returns the node at path (mapping keys, or sequence indexes written as decimal
// strings) under the front matter, or nil.
func (r *Record) ValueNode(path ...string) *yaml.Node {
	_, v := r.lookup(path)
	return v
}

// FieldPath renders a path into the front matter as people write it: priority.ice.impact,
// links[0].to.
func FieldPath(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// PosOf returns the position of the value at path; when path does not exist, of its deepest
// existing ancestor's value; for the empty path or an unparsed file, line 1 column 1.
func (r *Record) PosOf(path ...string) pos.Position { return r.RangeOf(path...).Start }

// RangeOf returns the range of the value at path (its end where known: the end of a scalar,
// of a flow collection, or of a block collection's last value); falls back like PosOf, and
// to the empty range at 1:1.
func (r *Record) RangeOf(path ...string) pos.Range {
	for len(path) > 0 {
		if _, v := r.lookup(path); v != nil {
			return r.NodeRange(v)
		}
		path = path[:len(path)-1]
	}
	return pos.FileStart(r.File)
}

// KeyPos returns the position of the mapping key that ends path (for a sequence index, of the
// item); falls back like PosOf.
func (r *Record) KeyPos(path ...string) pos.Position { return r.KeyRange(path...).Start }

// KeyRange returns the range of the mapping key that ends path (for a sequence index, of the
// item); falls back like RangeOf.
func (r *Record) KeyRange(path ...string) pos.Range {
	for len(path) > 0 {
		k, v := r.lookup(path)
		if k != nil {
			return r.NodeRange(k)
		}
		if v != nil {
			return r.NodeRange(v)
		}
		path = path[:len(path)-1]
	}
	return pos.FileStart(r.File)
}

func (r *Record) lookup(path []string) (key, val *yaml.Node) {
	n := r.Tree()
	if n == nil {
		return nil, nil
	}
	for _, p := range path {
		key = nil
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					key, next = n.Content[i], n.Content[i+1]
					break
				}
			}
			if next == nil {
				return nil, nil
			}
			n = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil, nil
			}
			n = n.Content[i]
		default:
			return nil, nil
		}
	}
	return key, n
}

// Irregular names what a file that is not a regular file is, for diagnostics ("a named pipe
// (FIFO)", "a device", …): reqtrail reads regular files only, since opening a FIFO or a
// device could block forever.
func Irregular(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeDevice != 0, mode&fs.ModeCharDevice != 0:
		return "a device"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	case mode.IsDir():
		return "a folder"
	}
	return "not a regular file"
}

// copies reports whether the result copied any of its metric's unit, baseline, target or
// better.
func (r Result) copies() bool {
	return r.Unit != "" || r.Baseline != nil || r.Target != nil || r.Better != ""
}

// MetricNamed returns the requirement's metric called name, or nil.
func (q *Requirement) MetricNamed(name string) *Metric {
	for i := range q.Metrics {
		if q.Metrics[i].Name == name {
			return &q.Metrics[i]
		}
	}
	return nil
}

// Against returns what the result is judged against (SPEC §3): what it copied, or, when it
// copies nothing, declared (the requirement's metric of that name; nil when there is none).
// A copy that cannot tell its direction takes declared's.
func (r Result) Against(declared *Metric) Metric {
	if !r.copies() {
		if declared != nil {
			m := *declared
			m.Name = r.Name
			return m
		}
		return r.Metric
	}
	m := r.Metric
	if m.Direction() == "" && declared != nil {
		m.Better = declared.Direction()
	}
	return m
}

// Judge tells whether the result is judged (it has an actual, and what it is judged against
// has a target and a direction) and whether it meets its target.
func (r Result) Judge(declared *Metric) (judged, met bool) {
	m := r.Against(declared)
	if r.Actual == nil || m.Target == nil || m.Direction() == "" {
		return false, false
	}
	return true, m.Meets(*r.Actual)
}

// SetBlob records id as the git blob id of the record's content (Raw), for a loader that
// knows it: Blob returns it while Raw is that content.
func (r *Record) SetBlob(id [20]byte) {
	if r.Raw != nil {
		r.blob, r.blobRaw = id, r.Raw
	}
}

// Blob returns the git blob id SetBlob recorded, when Raw is still the content it was
// recorded for.
func (r *Record) Blob() ([20]byte, bool) {
	if r.Raw == nil || r.blobRaw == nil || len(r.Raw) != len(r.blobRaw) || len(r.Raw) > 0 && &r.Raw[0] != &r.blobRaw[0] {
		return [20]byte{}, false
	}
	return r.blob, true
}
