package cli

import (
	"path"
	"time"

	"github.com/reqtrail/reqtrail/pkg/gitrepo"
	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/project"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
	"github.com/reqtrail/reqtrail/pkg/site"
	"github.com/reqtrail/reqtrail/pkg/vocab"
)

// gitReleases returns the lint option that gives evaluation-missing the release times from
// the history of HEAD, walked only when the rule asks (a released requirement declares
// metrics), and "now": HEAD's commit time, or SOURCE_DATE_EPOCH. Without git, a commit or a
// readable history the rule is silent.
func (app *App) gitReleases(root, reqDir string) func() (func(string) (time.Time, bool), time.Time, bool) {
	return func() (func(string) (time.Time, bool), time.Time, bool) {
		g, err := gitrepo.Open(root)
		if err != nil {
			return nil, time.Time{}, false
		}
		defer g.Close()
		head, err := g.Resolve("HEAD")
		if err != nil {
			return nil, time.Time{}, false
		}
		info, err := g.CommitInfo(head)
		if err != nil {
			return nil, time.Time{}, false
		}
		src := site.Source{Time: info.Committed}
		if app.sourceDateEpoch(&src) != nil {
			return nil, time.Time{}, false
		}
		hist, err := g.History(head, []string{path.Join(project.Prefix(root, g.Top()), reqDir)})
		if err != nil {
			return nil, time.Time{}, false
		}
		return hist.ReleasedAt(vocab.IsReleased), src.Time, true
	}
}

// lintOptions are the options of a lint run over the project at root.
func (app *App) lintOptions(r *repo.Repo, root string) lint.Options {
	return lint.Options{Releases: app.gitReleases(root, r.Config.Kinds[record.RequirementKind].Dir)}
}
