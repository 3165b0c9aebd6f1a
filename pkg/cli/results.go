package cli

import (
	"errors"
	"path/filepath"

	"github.com/reqtrail/reqtrail/pkg/citation"
	"github.com/reqtrail/reqtrail/pkg/graph"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/results"
)

// resultsFlagUsage is the help of --results on matrix, site and check.
const resultsFlagUsage = "test result `FILE`s (JUnit XML or go test -json) whose cases verify requirements; repeat or separate with commas"

// applyResults reads the result files (relative to the working directory, -C) and attaches
// their cases to g's requirements (SPEC §11). An unreadable or malformed file is exit 2.
func (app *App) applyResults(g *graph.Graph, root, gitTop string, files []string) error {
	if len(files) == 0 {
		return nil
	}
	cases, err := app.readResults(files)
	if err != nil {
		return err
	}
	applyCases(g, root, gitTop, cases)
	return nil
}

// readResults reads the test cases of the result files (relative to the working directory,
// -C); an unreadable or malformed file is exit 2, named as the user wrote it.
func (app *App) readResults(files []string) ([]results.Case, error) {
	var cases []results.Case
	for _, f := range files {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(app.Dir, p)
		}
		cs, err := results.ReadFile(p)
		if err != nil {
			var re *results.Error
			if errors.As(err, &re) {
				re.File = f // as the user wrote it
			}
			return nil, &ExitError{Code: ExitFailure, Err: err}
		}
		cases = append(cases, cs...)
	}
	return cases, nil
}

// applyCases maps test cases to g's requirements and attaches them: from then on g has
// results, even when there are no cases (a requirement then has no passing case).
func applyCases(g *graph.Graph, root, gitTop string, cases []results.Case) {
	r := g.Repo
	env := results.Env{FS: r.FS, Root: root, GitTop: gitTop, Known: func(id string) bool { return g.Node(id) != nil }}
	if g.Scan != nil {
		env.Citations = g.Scan.Citations
	}
	k := r.Config.Kinds[record.RequirementKind]
	env.Matcher = citation.NewMatcher(k.Prefix, k.Digits)
	citation.Walk(r.FS, r.Config, func(f citation.File) {
		if f.Role == citation.Test {
			env.TestFiles = append(env.TestFiles, f.Path)
		}
	})
	g.ApplyResults(results.Map(cases, env))
}
