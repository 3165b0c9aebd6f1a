package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/report"
	"github.com/reqtrail/reqtrail/pkg/site"
)

// reportFlags are a report command's --format and repeatable --output FORMAT=PATH.
type reportFlags struct {
	format  report.Format
	outputs report.Outputs
}

// add registers the flags on cmd; the first of allowed is the default.
func (f *reportFlags) add(cmd *cobra.Command, allowed ...report.Format) {
	report.FormatFlag(cmd.Flags(), &f.format, allowed...)
	report.OutputFlag(cmd.Flags(), &f.outputs, allowed...)
}

// emit writes the report to standard output and to every --output file (a relative path
// starts at the working directory, like -C); a failure exits 2.
func (f *reportFlags) emit(app *App, write report.WriteFunc) error {
	outs := make(report.Outputs, len(f.outputs))
	for i, o := range f.outputs {
		outs[i] = report.Output{Format: o.Format, Path: app.path(o.Path)}
	}
	if err := report.Emit(app.Stdout, f.format, outs, write); err != nil {
		return err
	}
	return nil
}

// emitReport writes rep with the site's stylesheet for HTML pages.
func (f *reportFlags) emitReport(app *App, rep *report.Report) error {
	rep.Page.CSS = site.Stylesheet()
	return f.emit(app, func(w io.Writer, ft report.Format) error { return rep.Write(w, ft) })
}
