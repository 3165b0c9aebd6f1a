package exchange

import (
	"fmt"
	"io"
	"strings"

	"github.com/reqtrail/reqtrail/pkg/mdterm"
)

// clean makes text from a source safe for a terminal, on one line.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\n", "⏎")
	s = strings.ReplaceAll(s, "\t", " ")
	return mdterm.Sanitize(s)
}

// WriteProblems prints every problem as `POSITION: message`, one a line.
func (r *Result) WriteProblems(w io.Writer) {
	for _, p := range r.Problems {
		fmt.Fprintf(w, "%s: %s\n", clean(p.Pos.String()), clean(p.Message))
	}
}

// WriteDryRun prints what the import would do, record by record and field by field, and
// every path it would write.
func (r *Result) WriteDryRun(w io.Writer) {
	for _, c := range r.Changes {
		switch c.Op {
		case Create:
			fmt.Fprintf(w, "create %s %s (from %s)\n", c.ID, c.File, clean(c.Pos.String()))
		case Update:
			fmt.Fprintf(w, "update %s %s (from %s)\n", c.ID, c.File, clean(c.Pos.String()))
		default:
			continue
		}
		for _, f := range c.Fields {
			switch {
			case f.Removed:
				fmt.Fprintf(w, "  - %s: %s\n", f.Path, clean(f.Old))
			case f.Old != "":
				fmt.Fprintf(w, "  ~ %s: %s → %s\n", f.Path, clean(f.Old), clean(f.New))
			default:
				fmt.Fprintf(w, "  + %s: %s\n", f.Path, clean(f.New))
			}
		}
		if c.Body {
			fmt.Fprintf(w, "  ~ body\n")
		}
		for _, a := range c.Attachments {
			fmt.Fprintf(w, "  + attachment %s\n", a)
		}
	}
	for _, d := range r.Declared {
		fmt.Fprintf(w, "declare custom field %s in reqtrail.yaml\n", clean(d))
	}
	paths := r.Paths()
	if len(paths) > 0 {
		fmt.Fprintf(w, "would write %d file(s):\n", len(paths))
		for _, p := range paths {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", clean(n))
	}
}

// WriteSummary prints the summary line (created, updated, unchanged, skipped), the declared
// custom fields and the released requirements that need their acceptance recorded. dryRun
// words it as what would happen.
func (r *Result) WriteSummary(w io.Writer, dryRun bool) {
	verb := ""
	if dryRun {
		verb = "dry run, nothing written: "
	}
	fmt.Fprintf(w, "%s%d created, %d updated, %d unchanged, %d skipped\n", verb,
		r.Count(Create), r.Count(Update), r.Count(Unchanged), r.Skipped)
	if len(r.Declared) > 0 {
		fmt.Fprintf(w, "custom fields declared in reqtrail.yaml: %s\n", clean(strings.Join(r.Declared, ", ")))
	}
	if len(r.Unaccepted) > 0 {
		fmt.Fprintf(w, "released without an acceptance record: %s — record their acceptances (reqtrail accept ID --by NAME), or set rules: {release-unaccepted: warning} in reqtrail.yaml while migrating\n",
			strings.Join(r.Unaccepted, ", "))
	}
}

// ExitCode is the import's exit code (SPEC §10): 0 done, 1 invalid items stopped the import
// or were skipped.
func (r *Result) ExitCode() int {
	if len(r.Problems) > 0 || r.Skipped > 0 {
		return 1
	}
	return 0
}
