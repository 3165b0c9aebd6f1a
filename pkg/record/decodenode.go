package record

import (
	"math"

	"github.com/reqtrail/reqtrail/internal/binenc"
)

// The typed view of a record (ID, Title, Req, Change, Acc, Fb, Eval) is read from the
// compact form in one pass per mapping, as decoding the fields into a map and picking the
// keys from it would give (TestDecodeNodeSameAsMap, FuzzDecodeNode): a repeated key's last
// value wins, a value of another type than the key expects reads as absent. The map of every
// record, which only the schema validation of a record it cannot vouch for needs, is not
// built.

// ValueKind is the type of a scalar's decoded value, as Value types it.
type ValueKind uint8

const (
	NoValue     ValueKind = iota // a mapping, a sequence or a damaged form
	StringValue                  // string (text, or any scalar of a string-typed key written plain)
	NullValue
	BoolValue
	IntValue
	FloatValue
)

// Decoded returns a scalar's decoded value as Value would type it: its kind, and the value
// in the result of that kind (s also holds the text as written for every kind).
func (n Node) Decoded() (kind ValueKind, s string, i int64, f float64, b bool) {
	r := compactReader{binenc.Reader{B: n.b, Bad: errCompact}}
	k := r.Byte()
	switch k {
	case cText, cNull, cBool, cInt, cFloat:
	default:
		return NoValue, "", 0, 0, false
	}
	plain := r.Byte() == 1
	s = r.string()
	switch k {
	case cText:
		kind = StringValue
	case cNull:
		kind = NullValue
	case cBool:
		kind, b = BoolValue, r.Byte() == 1
	case cInt:
		kind, i = IntValue, r.Varint()
	case cFloat:
		kind, f = FloatValue, math.Float64frombits(r.Uint64())
	}
	if r.Err != nil {
		return NoValue, "", 0, 0, false
	}
	if plain && k != cNull && k != cText { // a text is a string whatever the shape
		if sh := n.nodeShape(); sh != nil && sh.String {
			return StringValue, s, 0, 0, false
		}
	}
	return kind, s, i, f, b
}

// str is the node's value when it decodes to a string, "" otherwise (str of the map).
func (n Node) str() string {
	if k, s, _, _, _ := n.Decoded(); k == StringValue {
		return s
	}
	return ""
}

// num is the node's value when it decodes to a number, truncated; 0 otherwise.
func (n Node) num() int {
	switch k, _, i, f, _ := n.Decoded(); k {
	case IntValue:
		return int(i)
	case FloatValue:
		return int(f)
	}
	return 0
}

// number is the node's value when it decodes to a number, nil otherwise.
func (n Node) number() *float64 {
	var v float64
	switch k, _, i, f, _ := n.Decoded(); k {
	case IntValue:
		v = float64(i)
	case FloatValue:
		v = f
	default:
		return nil
	}
	return &v
}

// strs is the strings among a sequence's items (a non-nil slice for any sequence), nil for
// anything else.
func (n Node) strs() []string {
	if !n.IsSeq() {
		return nil
	}
	out := make([]string, 0, n.Len())
	n.Each(func(_ string, c Node) {
		if k, s, _, _, _ := c.Decoded(); k == StringValue {
			out = append(out, s)
		}
	})
	return out
}

// items calls fn for each item of a sequence; nothing for anything else.
func (n Node) items(fn func(Node)) {
	if n.IsSeq() {
		n.Each(func(_ string, c Node) { fn(c) })
	}
}

// listOf decodes a sequence of mappings into one T per item, fill setting it from each of
// the item's entries (an item that is not a mapping gives a zero T); nil for a sequence of
// none or anything but a sequence, as ranging over the decoded list gives.
func listOf[T any](n Node, fill func(t *T, k string, v Node)) []T {
	var out []T
	n.items(func(x Node) {
		var t T
		x.Each(func(k string, y Node) { fill(&t, k, y) })
		out = append(out, t)
	})
	return out
}

// decodeValue decodes the node as Value does (for the values the typed view keeps whole).
func (n Node) decodeValue() any {
	r := compactReader{binenc.Reader{B: n.b, Bad: errCompact}}
	v := r.value(n.nodeShape(), 1)
	if r.Err != nil {
		return nil
	}
	return v
}

// metricOf decodes a metric's (or a result's) fields from the mapping n (zero for anything
// else), as metric does from its map; actual is the result's actual value.
func metricOf(n Node) (m Metric, requirement string, actual *float64) {
	var name, metricName string
	n.Each(func(k string, v Node) {
		switch k {
		case "name":
			name = v.str()
		case "metric":
			metricName = v.str()
		case "unit":
			m.Unit = v.str()
		case "baseline":
			m.Baseline = v.number()
		case "target":
			m.Target = v.number()
		case "better":
			m.Better = v.str()
		case "requirement":
			requirement = v.str()
		case "actual":
			actual = v.number()
		}
	})
	m.Name = name
	if m.Name == "" {
		m.Name = metricName
	}
	return m, requirement, actual
}

// decodeNode fills ID, Title, the typed view and the fingerprint from the compact form,
// false when it is damaged.
func (r *Record) decodeNode() bool {
	top := Node{b: r.compact, shape: r.shape}
	if !top.IsMap() {
		return false
	}
	r.ID, r.Title = "", ""
	var q *Requirement
	var c *ChangeRequest
	var a *AcceptanceRecord
	var fb *Feedback
	var e *Evaluation
	switch r.Kind {
	case RequirementKind:
		q = &Requirement{}
	case ChangeKind:
		c = &ChangeRequest{}
	case AcceptanceKind:
		a = &AcceptanceRecord{}
	case FeedbackKind:
		fb = &Feedback{}
	case EvaluationKind:
		e = &Evaluation{}
	}
	ok := top.Each(func(k string, v Node) {
		switch k {
		case "id":
			r.ID = v.str()
			return
		case "title":
			r.Title = v.str()
			return
		}
		switch {
		case q != nil:
			q.decodeKey(k, v)
		case c != nil:
			c.decodeKey(k, v)
		case a != nil:
			a.decodeKey(k, v)
		case fb != nil:
			fb.decodeKey(k, v)
		case e != nil:
			e.decodeKey(k, v)
		}
	})
	if !ok {
		return false
	}
	switch {
	case q != nil:
		if q.Status == "" {
			q.Status = "new"
		}
		r.Req = q
		if r.Fingerprint == "" {
			r.Fingerprint = Fingerprint(r.Title, q.AcceptanceCriteria, r.Body)
		}
	case c != nil:
		r.Change = c
	case a != nil:
		r.Acc = a
	case fb != nil:
		r.Fb = fb
	case e != nil:
		r.Eval = e
	}
	return true
}

func (q *Requirement) decodeKey(k string, v Node) {
	switch k {
	case "type":
		q.Type = v.str()
	case "necessity":
		q.Necessity = v.str()
	case "status":
		q.Status = v.str()
	case "urgency":
		q.Urgency = v.str()
	case "feasibility":
		q.Feasibility = v.str()
	case "owner":
		q.Owner = v.str()
	case "release":
		q.Release = v.str()
	case "start":
		q.Start = v.str()
	case "due":
		q.Due = v.str()
	case "verification":
		q.Verification = v.str()
	case "tags":
		q.Tags = v.strs()
	case "acceptance-criteria":
		q.AcceptanceCriteria = v.strs()
	case "parent":
		q.Parent, q.ParentFingerprint = v.str(), ""
		if v.IsMap() {
			v.Each(func(k string, x Node) {
				switch k {
				case "id":
					q.Parent = x.str()
				case "fingerprint":
					q.ParentFingerprint = x.str()
				}
			})
		}
	case "priority":
		q.MoSCoW, q.Kano, q.Value, q.Cost, q.ICE = "", "", 0, 0, ICE{}
		v.Each(func(k string, x Node) {
			switch k {
			case "moscow":
				q.MoSCoW = x.str()
			case "kano":
				q.Kano = x.str()
			case "value":
				q.Value = x.num()
			case "cost":
				q.Cost = x.num()
			case "ice":
				q.ICE = ICE{}
				x.Each(func(k string, y Node) {
					switch k {
					case "impact":
						q.ICE.Impact = y.num()
					case "confidence":
						q.ICE.Confidence = y.num()
					case "ease":
						q.ICE.Ease = y.num()
					}
				})
			}
		})
	case "source":
		q.Channel, q.Requester, q.SourceDate = "", "", ""
		v.Each(func(k string, x Node) {
			switch k {
			case "channel":
				q.Channel = x.str()
			case "requester":
				q.Requester = x.str()
			case "date":
				q.SourceDate = x.str()
			}
		})
	case "links":
		q.Links = listOf(v, func(l *Link, k string, y Node) {
			switch k {
			case "type":
				l.Type = y.str()
			case "to":
				l.To = y.str()
			case "fingerprint":
				l.Fingerprint = y.str()
			}
		})
	case "metrics":
		q.Metrics = nil
		v.items(func(x Node) {
			m, _, _ := metricOf(x)
			q.Metrics = append(q.Metrics, m)
		})
	}
}

func (c *ChangeRequest) decodeKey(k string, v Node) {
	switch k {
	case "status":
		c.Status = v.str()
	case "action":
		c.Action = v.str()
	case "affects":
		c.Affects = v.strs()
	case "requested-by":
		c.RequestedBy = v.str()
	case "requested":
		c.Requested = v.str()
	case "reason":
		c.Reason = v.str()
	case "impact":
		c.Impact, _ = v.decodeValue().(map[string]any)
	case "decision":
		c.Decision = nil
		if v.IsMap() {
			d := &Decision{}
			v.Each(func(k string, x Node) {
				switch k {
				case "by":
					d.By = x.str()
				case "date":
					d.Date = x.str()
				case "note":
					d.Note = x.str()
				}
			})
			c.Decision = d
		}
	}
}

func (a *AcceptanceRecord) decodeKey(k string, v Node) {
	switch k {
	case "verdict":
		a.Verdict = v.str()
	case "date":
		a.Date = v.str()
	case "accepted-by":
		a.AcceptedBy = v.str()
	case "evidence":
		a.Evidence = v.strs()
	case "requirements":
		a.Requirements = listOf(v, func(acc *Accepted, k string, y Node) {
			switch k {
			case "id":
				acc.ID = y.str()
			case "fingerprint":
				acc.Fingerprint = y.str()
			}
		})
	case "criteria":
		a.Criteria = listOf(v, func(cr *Criterion, k string, y Node) {
			switch k {
			case "criterion":
				cr.Criterion = y.str()
			case "requirement":
				cr.Requirement = y.str()
			case "met":
				cr.Met = nil
				if kind, _, _, _, b := y.Decoded(); kind == BoolValue {
					cr.Met = &b
				}
			}
		})
	}
}

func (f *Feedback) decodeKey(k string, v Node) {
	switch k {
	case "date":
		f.Date = v.str()
	case "customer":
		f.Customer = v.str()
	case "channel":
		f.Channel = v.str()
	case "contact":
		f.Contact = v.str()
	case "weight":
		f.Weight = v.num()
	case "requirements":
		f.Requirements = v.strs()
	}
}

func (e *Evaluation) decodeKey(k string, v Node) {
	switch k {
	case "date":
		e.Date = v.str()
	case "by":
		e.By = v.str()
	case "requirements":
		e.Requirements = v.strs()
	case "verdict":
		e.Verdict = v.str()
	case "follow-up":
		e.FollowUp = v.strs()
	case "period":
		e.From, e.To = "", ""
		v.Each(func(k string, x Node) {
			switch k {
			case "from":
				e.From = x.str()
			case "to":
				e.To = x.str()
			}
		})
	case "results":
		e.Results = nil
		v.items(func(x Node) {
			m, req, actual := metricOf(x)
			e.Results = append(e.Results, Result{Requirement: req, Metric: m, Actual: actual})
		})
	}
}
