package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/exchange"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// newOptions are the flags of reqtrail new.
type newOptions struct {
	kind   record.Kind
	title  string
	parent string
	sets   []string
	dir    string
	editor bool
	// The feedback flags: who said it, through which channel, when, and what it supports.
	customer, channel, date string
	requirements            []string
}

func newNewCmd(app *App) *cobra.Command {
	var o newOptions
	cmd := &cobra.Command{
		Use:   "new requirement|change|acceptance|feedback --title TITLE [--parent ID] [--set KEY=VALUE]... [--dir SUBFOLDER] [--editor]",
		Short: "Create a record with the next free id from a template",
		Long: `New creates a requirement, change request, acceptance record or feedback record with the
next free id and prints its path.

The next free id is one more than the highest id of that kind in use anywhere reqtrail can
see: the files of the work tree (committed or not), the ids records refer to, and the record
files on every local branch and every remote-tracking branch (origin/*). So two people who
branch from main and each run "reqtrail new requirement" get different ids as soon as one of
them has pushed and the other has fetched. Ids are never reused.

The template fills the fields of the kind with defaults: a requirement starts as
"status: new" of type functional with today's date as source.date; a change request as
"status: proposed", "action: modify", requested today; an acceptance record with today's
date and, from --parent, the requirement's current fingerprint and its acceptance criteria.

A feedback record is one customer's voice: --customer NAME is required (an organisation or
an alias, not personal data), --channel is how it came in (the values of a requirement's
source.channel), --date when it was said (default today), and --requirements REQ-1,REQ-2
(or --parent) the requirements it supports; without them it is untriaged, in the
requirement pool:
  reqtrail new feedback --title "Wants tickets from the app" --customer "Customer A" \
      --channel sales --date 2024-06-12 --requirements REQ-0002

--parent ID is the requirement's parent, the requirement a change request affects, or the
requirement an acceptance record accepts. A child requirement goes in its parent's folder
unless --dir says otherwise (--dir is relative to the kind's folder, e.g. --dir chat puts a
requirement in reqs/chat/).

--set KEY=VALUE sets any field, with dotted keys for nested ones, typed as the schema says:
  --set priority.moscow=must --set priority.ice.impact=8 --set urgency=important
  --set tags=chat,mobile          (a list: comma-separated, or YAML flow: [chat, mobile])
  --set release=2024.4            (kept as the string "2024.4")
  --set 'links=[{type: depends-on, to: REQ-0007}]'
A record that would not pass the schema is not written.

--editor opens the new file in $VISUAL or $EDITOR.

New never overwrites a file. Exit codes: 0 created; 2 bad usage or the file could not be
written.`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"requirement", "change", "acceptance", "feedback"},
		RunE: func(cmd *cobra.Command, args []string) error {
			switch args[0] {
			case "requirement", "req":
				o.kind = record.RequirementKind
			case "change", "cr":
				o.kind = record.ChangeKind
			case "acceptance", "acc":
				o.kind = record.AcceptanceKind
			case "feedback", "fb":
				o.kind = record.FeedbackKind
			default:
				return Usagef("unknown kind %q: want requirement, change, acceptance or feedback", args[0])
			}
			if strings.TrimSpace(o.title) == "" {
				return Usagef("--title is required: a one-line statement of the %s", o.kind)
			}
			if err := o.checkFeedbackFlags(cmd); err != nil {
				return err
			}
			return app.runNew(&o)
		},
	}
	cmd.Flags().StringVarP(&o.title, "title", "t", "", "the record's `TITLE` (required)")
	cmd.Flags().StringVarP(&o.parent, "parent", "p", "", "the parent requirement, the requirement a change affects or an acceptance accepts")
	cmd.Flags().StringArrayVarP(&o.sets, "set", "s", nil, "set a field: `KEY=VALUE` (dotted keys for nested fields; repeatable)")
	cmd.Flags().StringVar(&o.dir, "dir", "", "create the file in `SUBFOLDER` of the kind's folder (e.g. chat for reqs/chat/)")
	cmd.Flags().StringVar(&o.dir, "folder", "", "same as --dir")
	_ = cmd.Flags().MarkHidden("folder")
	cmd.Flags().BoolVarP(&o.editor, "editor", "e", false, "open the new file in $VISUAL or $EDITOR")
	cmd.Flags().StringVar(&o.customer, "customer", "", "feedback: the `CUSTOMER` who said it (required for feedback)")
	cmd.Flags().StringVar(&o.channel, "channel", "", "feedback: the `CHANNEL` it came through (sales, ticket, survey, …)")
	cmd.Flags().StringVar(&o.date, "date", "", "feedback: the `DATE` it was said, YYYY-MM-DD (default today)")
	cmd.Flags().StringSliceVar(&o.requirements, "requirements", nil, "feedback: the requirements it supports: `REQ-1,REQ-2` (repeatable)")
	return cmd
}

// checkFeedbackFlags checks the feedback flags: given only for feedback, and a feedback
// names its customer.
func (o *newOptions) checkFeedbackFlags(cmd *cobra.Command) error {
	if o.kind != record.FeedbackKind {
		for _, f := range []string{"customer", "channel", "date", "requirements"} {
			if cmd.Flags().Changed(f) {
				return Usagef("--%s is a flag of new feedback, not of new %s", f, o.kind)
			}
		}
		return nil
	}
	if strings.TrimSpace(o.customer) == "" {
		return Usagef("--customer is required: the organisation or alias who gave the feedback (not personal data)")
	}
	return nil
}

func (app *App) runNew(o *newOptions) error {
	r, root, _, err := app.Load("")
	if err != nil {
		return err
	}
	if err := author.ConfigError(r); err != nil {
		return err
	}
	v, err := r.Config.Validator(o.kind)
	if err != nil {
		return err
	}

	var parent *record.Record
	if o.parent != "" {
		parent = r.Requirement(o.parent)
		if parent == nil {
			if other := r.ByID[o.parent]; other != nil {
				return Usagef("--parent %s is a %s, not a requirement", o.parent, other.Kind)
			}
			return Usagef("--parent %s: no such requirement", o.parent)
		}
	}

	doc := newTemplate(o.kind, o.title, parent, app.Today())
	if o.kind == record.FeedbackKind {
		if err := feedbackTemplate(doc, o, r); err != nil {
			return err
		}
	}
	localComments(r.Config, doc)
	if r.Config.PinLinks {
		pinTemplateParent(doc, parent)
	}
	for _, s := range o.sets {
		if err := newApplySet(doc, s, v.Shape); err != nil {
			return err
		}
	}
	if o.kind == record.ChangeKind && tmplLookup(doc, []string{"affects"}) == nil {
		return Usagef("a change request affects at least one requirement: pass --parent REQ-ID, or --set affects=REQ-1,REQ-2")
	}
	if o.kind == record.AcceptanceKind && tmplLookup(doc, []string{"requirements"}) == nil {
		return Usagef("an acceptance record accepts at least one requirement: pass --parent REQ-ID (or use reqtrail accept)")
	}

	// A child requirement goes in its parent's folder unless --dir says otherwise.
	kdir := r.Config.Kinds[o.kind].Dir
	sub := o.dir
	if sub == "" && parent != nil && o.kind == record.RequirementKind {
		if d := path.Dir(parent.File); strings.HasPrefix(d+"/", kdir+"/") {
			sub = strings.TrimPrefix(strings.TrimPrefix(d, kdir), "/")
		}
	}
	created, err := author.Create(root, r, author.Draft{Kind: o.kind, Dir: sub, Front: doc, Body: localBody(r.Config, o.kind, newBody(o.kind)), Unfilled: unfilledKeys(o.kind, doc)})
	if err != nil {
		return err
	}
	if created.Warning != nil {
		fmt.Fprintf(app.Stderr, "reqtrail: warning: could not read every git branch (%v); the id counts the work tree and the branches read\n", created.Warning)
	}
	fmt.Fprintln(app.Stdout, app.displayPath(created.Path))
	if o.kind == record.AcceptanceKind && tmplLookup(doc, []string{"verdict"}) == nil {
		fmt.Fprintln(app.Stdout, "fill in: verdict (accepted, conditional or rejected), and accepted-by unless rejected")
	}
	if o.editor {
		return app.openEditor(created.Path)
	}
	return nil
}

// newBody is the Markdown body a new record of kind starts with.
func newBody(kind record.Kind) string {
	switch kind {
	case record.ChangeKind:
		return "## Change\n\n<!-- What changes in the affected requirements. -->\n\n## Alternatives considered\n\n<!-- Options and why they were not chosen. -->\n"
	case record.FeedbackKind:
		return "<!-- The customer's words, verbatim where possible; the context they were said in. -->\n"
	case record.AcceptanceKind:
		return "## How it was verified\n\n<!-- Tests, demonstrations, inspections; with dates and evidence. -->\n\n## Remarks\n"
	}
	return "## Description\n\n<!-- What is needed, by whom, and in which situation. -->\n\n## Rationale\n\n<!-- Why it matters: the customer's problem, the value, the evidence. -->\n"
}

func (app *App) openEditor(file string) error {
	ed := app.Getenv("VISUAL")
	if ed == "" {
		ed = app.Getenv("EDITOR")
	}
	if strings.TrimSpace(ed) == "" {
		return Usagef("--editor: set $EDITOR (or $VISUAL) to the editor to open %s with", file)
	}
	fields := strings.Fields(ed)
	c := exec.Command(fields[0], append(fields[1:], file)...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := c.Run(); err != nil {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("editor %q: %v (the file was created: %s)", ed, err, file)}
	}
	return nil
}

// Node helpers for building templates: every string goes through author.String, the one
// quoting rule.

func tmplString(v string) *yaml.Node { return author.String(v) }

func tmplMap(flow bool, kv ...*yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: kv}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

func tmplSeq(flow bool, items ...*yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

func tmplKey(k string) *yaml.Node { return author.String(k) }

// acceptanceFillIn is the comment above a new acceptance's date: the keys the customer's
// answer fills in.
const acceptanceFillIn = "fill in the customer's answer:\n" +
	"verdict: accepted | conditional | rejected\n" +
	"accepted-by: NAME (required unless the verdict is rejected)"

// newTemplate returns the front matter of a new record of kind (author.Create adds the id).
func newTemplate(kind record.Kind, title string, parent *record.Record, date string) *yaml.Node {
	m := tmplMap(false, tmplKey("title"), tmplString(title))
	add := func(k string, v *yaml.Node) { m.Content = append(m.Content, tmplKey(k), v) }
	switch kind {
	case record.RequirementKind:
		add("type", tmplString("functional"))
		add("status", tmplString("new"))
		add("source", tmplMap(false, tmplKey("date"), tmplString(date)))
		if parent != nil {
			add("parent", tmplString(parent.ID))
		}
	case record.ChangeKind:
		add("status", tmplString("proposed"))
		add("action", tmplString("modify"))
		if parent != nil {
			add("affects", tmplSeq(true, tmplString(parent.ID)))
		}
		add("requested", tmplString(date))
	case record.AcceptanceKind:
		// No verdict until the customer's is known: an unfilled template is a lint error,
		// never an acceptance.
		dateKey := tmplKey("date")
		dateKey.HeadComment = acceptanceFillIn
		add("date", tmplString(date))
		m.Content[len(m.Content)-2] = dateKey
		if parent != nil {
			add("requirements", tmplSeq(false, tmplMap(false,
				tmplKey("id"), tmplString(parent.ID), tmplKey("fingerprint"), tmplString(parent.Fingerprint))))
			if crit := parent.Req.AcceptanceCriteria; len(crit) > 0 {
				cs := tmplSeq(false)
				for _, c := range crit {
					cs.Content = append(cs.Content, tmplMap(true,
						tmplKey("criterion"), tmplString(c), tmplKey("requirement"), tmplString(parent.ID)))
				}
				add("criteria", cs)
			}
		}
	case record.FeedbackKind:
		add("date", tmplString(date)) // feedbackTemplate adds the rest from the flags
	}
	return m
}

// feedbackTemplate adds the feedback flags to doc: date (today unless --date), customer,
// channel, and requirements from --parent and --requirements, each of which must name a
// requirement.
func feedbackTemplate(doc *yaml.Node, o *newOptions, r *repo.Repo) error {
	add := func(k string, v *yaml.Node) { doc.Content = append(doc.Content, tmplKey(k), v) }
	if o.date != "" {
		tmplLookup(doc, []string{"date"}).Value = o.date
	}
	add("customer", tmplString(strings.TrimSpace(o.customer)))
	if o.channel != "" {
		add("channel", tmplString(o.channel))
	}
	var ids []string
	if o.parent != "" {
		ids = append(ids, o.parent)
	}
	for _, id := range o.requirements {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		if r.Requirement(id) == nil {
			if other := r.ByID[id]; other != nil {
				return Usagef("--requirements %s is a %s, not a requirement", id, other.Kind)
			}
			return Usagef("--requirements %s: no such requirement", id)
		}
	}
	if len(ids) > 0 {
		seq := tmplSeq(true)
		for _, id := range ids {
			seq.Content = append(seq.Content, tmplString(id))
		}
		add("requirements", seq)
	}
	return nil
}

// applySet applies one --set KEY=VALUE to the front matter m, typing the value by shape.
func newApplySet(m *yaml.Node, set string, shape *record.Shape) error {
	k, val, ok := strings.Cut(set, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return Usagef("--set %q: want KEY=VALUE (e.g. --set priority.moscow=must)", set)
	}
	p := strings.Split(k, ".")
	for _, part := range p {
		if part == "" {
			return Usagef("--set %q: empty key in %q", set, k)
		}
	}
	if p[0] == "id" && len(p) == 1 {
		return Usagef("--set id: the id is allocated by reqtrail new")
	}
	if p[0] == "title" && len(p) == 1 {
		return Usagef("--set title: use --title")
	}
	sh := shape
	for _, part := range p {
		sh = setShapeProp(sh, part)
	}
	node := setValueNode(val, sh)
	cur := m
	for i, part := range p {
		idx := -1
		for j := 0; j+1 < len(cur.Content); j += 2 {
			if cur.Content[j].Value == part {
				idx = j
			}
		}
		if i == len(p)-1 {
			if idx >= 0 {
				cur.Content[idx+1] = node
			} else {
				cur.Content = append(cur.Content, tmplKey(part), node)
			}
			return nil
		}
		if idx >= 0 && cur.Content[idx+1].Kind == yaml.MappingNode {
			cur = cur.Content[idx+1]
			continue
		}
		if idx >= 0 {
			return Usagef("--set %s: %s is not a map", k, strings.Join(p[:i+1], "."))
		}
		child := tmplMap(part == "ice") // the SPEC writes ice: {impact: …, confidence: …, ease: …}
		cur.Content = append(cur.Content, tmplKey(part), child)
		cur = child
	}
	return nil
}

func setShapeProp(s *record.Shape, k string) *record.Shape {
	if s == nil {
		return nil
	}
	if p, ok := s.Props[k]; ok {
		return p
	}
	return s.Additional
}

// typedNode turns a --set value into a node: a string where the schema wants one (quoted
// when YAML would read it otherwise, dates plain), a list where it wants a list (YAML flow
// or comma-separated), else whatever YAML makes of it.
func setValueNode(val string, sh *record.Shape) *yaml.Node {
	trimmed := strings.TrimSpace(val)
	var doc yaml.Node
	parsed := (*yaml.Node)(nil)
	if trimmed != "" && yaml.Unmarshal([]byte(trimmed), &doc) == nil && len(doc.Content) == 1 && !exchange.HasAlias(doc.Content[0]) {
		parsed = doc.Content[0]
		setClearPositions(parsed)
	}
	switch {
	case sh != nil && sh.Items != nil:
		if parsed != nil && parsed.Kind == yaml.SequenceNode {
			parsed.Style = yaml.FlowStyle
			for _, it := range parsed.Content {
				if it.Kind == yaml.MappingNode {
					it.Style = yaml.FlowStyle
				}
			}
			return parsed
		}
		seq := tmplSeq(true)
		if trimmed != "" {
			for item := range strings.SplitSeq(trimmed, ",") {
				if item = strings.TrimSpace(item); item != "" {
					seq.Content = append(seq.Content, setValueNode(item, sh.Items))
				}
			}
		}
		return seq
	case sh != nil && sh.String:
		return tmplString(val)
	}
	if parsed == nil {
		return tmplString(val)
	}
	if parsed.Kind == yaml.MappingNode || parsed.Kind == yaml.SequenceNode {
		parsed.Style = yaml.FlowStyle
	}
	return parsed
}

func setClearPositions(n *yaml.Node) {
	n.Line, n.Column = 0, 0
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		setClearPositions(c)
	}
}

func tmplLookup(m *yaml.Node, p []string) *yaml.Node {
	cur := m
	for _, part := range p {
		if cur.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for j := 0; j+1 < len(cur.Content); j += 2 {
			if cur.Content[j].Value == part {
				next = cur.Content[j+1]
			}
		}
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

// unfilledKeys names the keys a new record leaves for the user to fill in: an acceptance's
// verdict until one is chosen (an unfilled template is a lint error, never an acceptance).
func unfilledKeys(kind record.Kind, doc *yaml.Node) []string {
	if kind == record.AcceptanceKind && tmplLookup(doc, []string{"verdict"}) == nil {
		return []string{"verdict"}
	}
	return nil
}
