package site

import (
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// KnownStatuses gives the history walk (gitrepo.HistoryOptions.Known) the status of every
// record file already parsed, by git blob id, so that HEAD's blobs that are the work tree's
// files are not inflated and parsed again. The value is what the walk would read from the
// blob (gitrepo.FrontMatterField): the front matter's status as written, "" when there is
// none or it is not a scalar (record.Scalar). A file the walk would cut into front matter and
// body differently (a .yaml record that starts with "---", as blobs are read without names)
// is left to the walk.
func KnownStatuses(r *repo.Repo) map[plumbing.Hash]string {
	out := make(map[plumbing.Hash]string, len(r.Records))
	for _, rec := range r.Records {
		if !rec.Parsed() || rec.Raw == nil || record.HasFence(rec.Raw) == record.YAMLOnly(rec.File) {
			continue
		}
		out[plumbing.Hash(repo.BlobOf(rec))] = rec.Scalar("status")
	}
	return out
}
