package site

import (
	"bytes"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// KnownStatuses gives the history walk (gitrepo.HistoryOptions.Known) the status of every
// record file already parsed, by git blob id, so that HEAD's blobs that are the work tree's
// files are not inflated and parsed again. The value is what the walk would read from the
// blob: the front matter's status as written, "" when there is none. Files whose status the
// typed view cannot tell for sure (a flow-style front matter, a requirement whose "new" may
// be the default) are left to the walk.
func KnownStatuses(r *repo.Repo) map[plumbing.Hash]string {
	out := make(map[plumbing.Hash]string, len(r.Records))
	for _, rec := range r.Records {
		if !rec.Parsed() || rec.Raw == nil {
			continue
		}
		st, ok := writtenStatus(rec)
		if ok {
			out[plumbing.ComputeHash(plumbing.BlobObject, rec.Raw)] = st
		}
	}
	return out
}

// writtenStatus is the front matter's status: as written, when the typed view tells it.
func writtenStatus(rec *record.Record) (string, bool) {
	front := rec.Raw
	if rec.Body != "" && len(rec.Body) < len(front) {
		front = front[:len(front)-len(rec.Body)]
	}
	// A block mapping has its keys at the start of lines; "id:" is always there.
	if !bytes.HasPrefix(front, []byte("id:")) && !bytes.Contains(front, []byte("\nid:")) {
		return "", false
	}
	line, has := statusLine(front)
	switch {
	case rec.Req != nil && rec.Req.Status != "" && rec.Req.Status != "new":
		return rec.Req.Status, true
	case rec.Change != nil && rec.Change.Status != "":
		return rec.Change.Status, true
	case !has:
		return "", true
	case rec.Req != nil && (line == "new" || line == `"new"` || line == "'new'"):
		return "new", true
	}
	return "", false
}

// statusLine returns the text after "status:" on the line that starts with it, trimmed of
// spaces and a trailing comment.
func statusLine(front []byte) (string, bool) {
	for len(front) > 0 {
		line := front
		if i := bytes.IndexByte(front, '\n'); i >= 0 {
			line, front = front[:i], front[i+1:]
		} else {
			front = nil
		}
		if v, ok := bytes.CutPrefix(line, []byte("status")); ok {
			v = bytes.TrimLeft(v, " \t")
			if !bytes.HasPrefix(v, []byte(":")) {
				continue
			}
			v = v[1:]
			if i := bytes.Index(v, []byte(" #")); i >= 0 {
				v = v[:i]
			}
			return string(bytes.TrimSpace(v)), true
		}
	}
	return "", false
}
