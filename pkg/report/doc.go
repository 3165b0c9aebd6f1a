package report

import "strings"

// Document is a small report document: headings, paragraphs, tables, lists, word diffs and
// folded details, in order. Commands build one (check and diff do; h8's impact section is
// one more Section) and the text, Markdown and HTML writers render it.
type Document struct {
	Title  string // the HTML page title
	Blocks []Block
}

// Add appends blocks.
func (d *Document) Add(b ...Block) { d.Blocks = append(d.Blocks, b...) }

// Section appends a heading of level 3 followed by blocks: the obvious way to add a part
// to a report.
func (d *Document) Section(title string, b ...Block) {
	d.Blocks = append(d.Blocks, Heading{Level: 3, Text: Inline{Plain(title)}})
	d.Blocks = append(d.Blocks, b...)
}

// Block is one part of a document: Heading, Paragraph, *Table, *List, Details, WordDiff,
// Break.
type Block interface{ block() }

// Heading is a title of Level 1–6.
type Heading struct {
	Level int
	Text  Inline
}

// Paragraph is one line of inline text.
type Paragraph struct{ Text Inline }

// Break is a blank line in text output (the other formats separate blocks anyway).
type Break struct{}

// Details is a folded part: a summary line, and blocks shown when unfolded (in text:
// indented below the summary).
type Details struct {
	Summary Inline
	Blocks  []Block
}

// List is a bulleted list. When a report must fit a size (a pull-request comment), lists
// and tables are folded: the blocks of lowest Priority keep their items first, and the
// items that do not fit are replaced by "… and N more <More>".
type List struct {
	Items []Item
	// Indent prefixes each item in text output (no bullet there).
	Indent   string
	Priority int
	More     string // the plural noun of the fold line: "findings"
}

// Item is one list entry; Detail, when set, is a second line (a hint).
type Item struct {
	Text   Inline
	Detail Inline
}

// WordDiff shows an old and a new text word by word, after an optional label.
type WordDiff struct {
	Label string
	Parts []DiffPart
}

// DiffOp says whether a part of a word diff is kept, removed or added.
type DiffOp int

// The word-diff operations.
const (
	Same DiffOp = iota
	Deleted
	Inserted
)

// DiffPart is a run of text with one operation.
type DiffPart struct {
	Op   DiffOp
	Text string
}

// Inline is a run of styled text.
type Inline []Span

// Style is how a span is shown.
type Style int

// The span styles.
const (
	PlainStyle Style = iota
	CodeStyle
	StrongStyle
	EmphStyle
)

// Span is text in one style, optionally a link.
type Span struct {
	Style Style
	Text  string
	Href  string
}

// Plain is unstyled text.
func Plain(s string) Span { return Span{Text: s} }

// Code is text in a monospace code span (file names, ids, revisions).
func Code(s string) Span { return Span{Style: CodeStyle, Text: s} }

// Strong is bold text.
func Strong(s string) Span { return Span{Style: StrongStyle, Text: s} }

// Emph is emphasised text.
func Emph(s string) Span { return Span{Style: EmphStyle, Text: s} }

// Para is a paragraph of spans.
func Para(spans ...Span) Paragraph { return Paragraph{Text: spans} }

// Text is the inline text without styles.
func (in Inline) Text() string {
	var n int
	for _, s := range in {
		n += len(s.Text)
	}
	b := make([]byte, 0, n)
	for _, s := range in {
		b = append(b, s.Text...)
	}
	return string(b)
}

func (Heading) block()   {}
func (Paragraph) block() {}
func (Break) block()     {}
func (Details) block()   {}
func (*List) block()     {}
func (WordDiff) block()  {}

// Rich turns reqtrail's own text, where `backticks` mark code, into spans: plain text and
// code spans. (Never for text from records: there a backtick is only a character.)
func Rich(s string) Inline {
	var in Inline
	for i, part := range strings.Split(s, "`") {
		if part == "" {
			continue
		}
		if i%2 == 1 {
			in = append(in, Code(part))
		} else {
			in = append(in, Plain(part))
		}
	}
	return in
}
