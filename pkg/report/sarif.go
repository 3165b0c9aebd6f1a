package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/diag"
)

// SARIF 2.1.0 (OASIS), the parts reqtrail writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifMessage struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		Name             string       `json:"name"`
		ShortDescription sarifMessage `json:"shortDescription"`
		FullDescription  sarifMessage `json:"fullDescription"`
		Help             sarifMessage `json:"help"`
		HelpURI          string       `json:"helpUri"`
		DefaultConfig    struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           *sarifRegion     `json:"region,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifMessage      `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
)

// SRCROOT is the uriBaseId of every artifact: the repository's top.
const SRCROOT = "%SRCROOT%"

// DefaultRulesURL documents the rules; a rule's anchor is its id.
const DefaultRulesURL = "https://github.com/reqtrail/reqtrail/blob/main/docs/rules.md"

func printSARIF(w io.Writer, f *Findings) error {
	docs := slices.Clone(f.Rules)
	index := map[string]int{}
	for i, r := range docs {
		index[r.ID] = i
	}
	for _, d := range f.Diagnostics {
		if _, ok := index[d.Rule]; !ok {
			index[d.Rule] = len(docs)
			docs = append(docs, RuleDoc{ID: d.Rule, Severity: d.Severity})
		}
	}
	rulesURL := f.RulesURL
	if rulesURL == "" {
		rulesURL = DefaultRulesURL
	}
	rules := make([]sarifRule, len(docs))
	for i, r := range docs {
		rules[i] = sarifRuleOf(r, rulesURL)
	}
	results := make([]sarifResult, 0, len(f.Diagnostics))
	seen := map[string]int{}
	for _, d := range f.Diagnostics {
		res := sarifResult{RuleID: d.Rule, RuleIndex: index[d.Rule], Level: sarifLevel(d.Severity),
			Message: sarifMessage{Text: d.Message}}
		loc := sarifLocation{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifactLoc{URI: EncodePath(RepoPath(f.RepoPrefix, d.File())), URIBaseID: SRCROOT},
		}}
		if d.Range.Start.Line > 0 {
			reg := &sarifRegion{StartLine: d.Range.Start.Line, StartColumn: max(d.Range.Start.Column, 0)}
			if end := d.Range.End; d.Range.HasEnd() && end.Line >= d.Range.Start.Line {
				reg.EndLine, reg.EndColumn = end.Line, max(end.Column, 0)
			}
			loc.PhysicalLocation.Region = reg
		}
		res.Locations = []sarifLocation{loc}
		key := FindingKey(f.RepoPrefix, d)
		seen[key]++
		res.PartialFingerprints = map[string]string{"reqtrailFinding/v1": key + ":" + strconv.Itoa(seen[key])}
		results = append(results, res)
	}
	return WriteJSON(w, sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{Name: "reqtrail", Version: f.Version,
				InformationURI: "https://github.com/reqtrail/reqtrail", Rules: rules}},
			ColumnKind: "unicodeCodePoints",
			Results:    results,
		}},
	})
}

func sarifRuleOf(r RuleDoc, rulesURL string) sarifRule {
	doc := r.Doc
	if doc == "" {
		doc = r.ID
	}
	short := strings.TrimSuffix(doc, ".")
	if i := strings.Index(short, "; "); i > 0 && i < 120 {
		short = short[:i]
	}
	full := strings.TrimSuffix(doc, ".") + "."
	fix := r.Fix
	if fix == "" {
		fix = "Fix the record so that the rule no longer fires: " + strings.TrimSuffix(doc, ".") + "."
	}
	sr := sarifRule{
		ID: r.ID, Name: ruleName(r.ID),
		ShortDescription: sarifMessage{Text: short},
		FullDescription:  sarifMessage{Text: full},
		Help: sarifMessage{
			Text:     full + " How to fix: " + strings.ReplaceAll(fix, "`", ""),
			Markdown: "**" + r.ID + "**: " + EscapeMarkdown(full) + "\n\n**How to fix:** " + mdInline(Rich(fix), false) + "\n\n[Rule reference](" + rulesURL + "#" + r.ID + ")",
		},
		HelpURI: rulesURL + "#" + r.ID,
	}
	sr.DefaultConfig.Level = sarifLevel(r.Severity)
	return sr
}

// ruleName is a rule id in PascalCase, as SARIF's reportingDescriptor.name suggests.
func ruleName(id string) string {
	var b strings.Builder
	for _, p := range strings.Split(id, "-") {
		if p != "" {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}

func sarifLevel(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Off:
		return "none"
	}
	return "warning"
}

// lineRefs are positions inside messages ("REQ-0001.md:12", "line 4"): they move with the
// text and must not move a fingerprint.
var lineRefs = regexp.MustCompile(`(:\d+(:\d+)?\b)|(\blines? \d+\b)`)

// FindingKey identifies a finding across runs and line moves: a hash of its rule, file,
// record id and message with positions removed.
func FindingKey(prefix string, d diag.Diagnostic) string {
	msg := lineRefs.ReplaceAllString(d.Message, "")
	h := sha256.Sum256([]byte(d.Rule + "\x00" + RepoPath(prefix, d.File()) + "\x00" + d.ID + "\x00" + msg))
	return hex.EncodeToString(h[:16])
}

// EncodePath percent-encodes a slash-separated relative path as an RFC 3986 URI
// reference: every byte but the unreserved characters and "/" is written %XX (spaces,
// CJK, "%", ":", ",").
func EncodePath(p string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
