// Package report writes reqtrail's reports: one Format type with its --format and --output
// flags, a Table of typed cells and a small Document model with exactly one writer per
// format (text, CSV, Markdown, JSON, HTML), and the diagnostics printers (text, JSON,
// GitHub annotations, SARIF, JUnit, Markdown). It imports no domain package: the commands
// build its values and hand them over.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/reqtrail/reqtrail/pkg/atomicfile"
)

// Format names an output format, as --format and --output spell it.
type Format string

// The formats.
const (
	Text     Format = "text"
	JSON     Format = "json"
	CSV      Format = "csv"
	Markdown Format = "markdown"
	HTML     Format = "html"
	YAML     Format = "yaml"
	SARIF    Format = "sarif"
	GitHub   Format = "github"
	JUnit    Format = "junit"
)

// Join lists formats for help texts and messages: "text, json, csv".
func Join(fs []Format) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// Parse returns s as a format if it is one of allowed.
func Parse(s string, allowed []Format) (Format, error) {
	if slices.Contains(allowed, Format(s)) {
		return Format(s), nil
	}
	return "", fmt.Errorf("unknown --format %q (want one of %s)", s, Join(allowed))
}

// formatValue is the pflag.Value of --format.
type formatValue struct {
	p       *Format
	allowed []Format
}

func (v *formatValue) String() string { return string(*v.p) }
func (v *formatValue) Type() string   { return "format" }
func (v *formatValue) Set(s string) error {
	f, err := Parse(s, v.allowed)
	if err != nil {
		return err
	}
	*v.p = f
	return nil
}

// FormatFlag registers --format/-f on fs: the format p writes standard output in, one of
// allowed (the first is the default).
func FormatFlag(fs *pflag.FlagSet, p *Format, allowed ...Format) {
	*p = allowed[0]
	fs.VarP(&formatValue{p, allowed}, "format", "f", "output `format`: "+Join(allowed))
}

// Output is one --output FORMAT=PATH: a report written to a file besides standard output.
type Output struct {
	Format Format
	Path   string
}

// Outputs are the --output flags of one run, in command-line order.
type Outputs []Output

type outputsValue struct {
	p       *Outputs
	allowed []Format
}

func (v *outputsValue) Type() string { return "FORMAT=PATH" }
func (v *outputsValue) String() string {
	s := make([]string, len(*v.p))
	for i, o := range *v.p {
		s[i] = string(o.Format) + "=" + o.Path
	}
	return strings.Join(s, ",")
}
func (v *outputsValue) Set(s string) error {
	name, path, ok := strings.Cut(s, "=")
	if !ok || path == "" {
		return fmt.Errorf("--output wants FORMAT=PATH (for example sarif=reqtrail.sarif), not %q", s)
	}
	f, err := Parse(name, v.allowed)
	if err != nil {
		return fmt.Errorf("--output %s: %w", s, err)
	}
	*v.p = append(*v.p, Output{f, path})
	return nil
}

// OutputFlag registers the repeatable --output FORMAT=PATH on fs.
func OutputFlag(fs *pflag.FlagSet, p *Outputs, allowed ...Format) {
	fs.Var(&outputsValue{p, allowed}, "output", "also write the report in `FORMAT=PATH` (repeatable: --output sarif=r.sarif --output markdown=pr.md)")
}

// WriteFunc writes one report in one format.
type WriteFunc func(w io.Writer, f Format) error

// Emit writes the report to stdout in format, then to every output file, each atomically
// (a reader never sees half a report). A failed file write stops with its error.
func Emit(stdout io.Writer, format Format, outs Outputs, write WriteFunc) error {
	if err := write(stdout, format); err != nil {
		return err
	}
	for _, o := range outs {
		var buf bytes.Buffer
		if err := write(&buf, o.Format); err != nil {
			return err
		}
		if err := atomicfile.WriteFile(o.Path, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("--output %s=%s: %w", o.Format, o.Path, err)
		}
	}
	return nil
}

// WriteJSON is the one JSON writer: v indented by two spaces, without HTML escaping, with a
// final newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
