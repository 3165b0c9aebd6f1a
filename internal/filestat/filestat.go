// Package filestat holds the stat data git's index keeps of each work-tree file, and the
// rule by which git trusts it: a file whose stat data is the index's, and which was not
// modified in the same instant as the index was written, holds the blob the index names
// (git's "racy git" rule; Documentation/technical/racy-git.txt).
package filestat

// Stat is a file's stat data as git's index stores it: each field truncated to 32 bits.
type Stat struct {
	CtimeSec, CtimeNsec uint32
	MtimeSec, MtimeNsec uint32
	Dev, Ino            uint32
	UID, GID            uint32
	Size                uint32
}

// Same reports whether a file's stat data s is the index entry's e: the fields git compares
// by default (modification and change times, inode, owner and size; not the device, which
// git compares only when built with USE_STDEV).
func (s Stat) Same(e Stat) bool {
	return s.MtimeSec == e.MtimeSec && s.MtimeNsec == e.MtimeNsec &&
		s.CtimeSec == e.CtimeSec && s.CtimeNsec == e.CtimeNsec &&
		s.Ino == e.Ino && s.UID == e.UID && s.GID == e.GID && s.Size == e.Size
}

// Stamp is when an index file was last written, to the nanosecond.
type Stamp struct {
	Sec  int64
	Nsec int64
	// Known is false when the index file's time could not be read: every entry is then
	// racily clean.
	Known bool
}

// Trusted reports whether the index entry e, written in an index stamped at, can be trusted
// to name the content of a file whose stat data is s: the two are the same, e records a
// size (git smudges racily clean entries to size 0), and the file was modified strictly
// before the index was written (a file changed in the same instant after the index read it
// would keep its stat data).
func Trusted(s, e Stat, at Stamp) bool {
	if !at.Known || !s.Same(e) || e.Size == 0 {
		return false
	}
	sec := int64(e.MtimeSec)
	return sec < at.Sec&0xffffffff || sec == at.Sec&0xffffffff && int64(e.MtimeNsec) < at.Nsec
}
