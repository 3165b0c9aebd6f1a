package filestat

import "testing"

func TestTrusted(t *testing.T) {
	e := Stat{CtimeSec: 100, CtimeNsec: 5, MtimeSec: 100, MtimeNsec: 5, Dev: 1, Ino: 7, UID: 1000, GID: 1000, Size: 42}
	later := Stamp{Sec: 101, Nsec: 0, Known: true}
	for _, c := range []struct {
		name string
		s, e Stat
		at   Stamp
		want bool
	}{
		{"same, written before the index", e, e, later, true},
		{"same instant's nanosecond before", e, e, Stamp{Sec: 100, Nsec: 6, Known: true}, true},
		{"modified in the index's instant (racy)", e, e, Stamp{Sec: 100, Nsec: 5, Known: true}, false},
		{"modified after the index", e, e, Stamp{Sec: 99, Known: true}, false},
		{"index time unknown", e, e, Stamp{}, false},
		{"another device only (git ignores it)", with(e, func(s *Stat) { s.Dev = 2 }), e, later, true},
		{"size", with(e, func(s *Stat) { s.Size = 43 }), e, later, false},
		{"mtime", with(e, func(s *Stat) { s.MtimeNsec = 6 }), e, later, false},
		{"ctime (content rewritten, mtime restored)", with(e, func(s *Stat) { s.CtimeSec = 200 }), e, later, false},
		{"inode (file replaced)", with(e, func(s *Stat) { s.Ino = 8 }), e, later, false},
		{"owner", with(e, func(s *Stat) { s.UID = 0 }), e, later, false},
		{"entry smudged to size 0 by git", with(e, func(s *Stat) { s.Size = 0 }), with(e, func(s *Stat) { s.Size = 0 }), later, false},
		{"zero entry (git read-tree)", e, Stat{}, later, false},
		// Index times past 2106 wrap as git's 32-bit seconds do.
		{"wrapped seconds", e, e, Stamp{Sec: 1<<32 + 101, Known: true}, true},
	} {
		if got := Trusted(c.s, c.e, c.at); got != c.want {
			t.Errorf("%s: Trusted = %v, want %v", c.name, got, c.want)
		}
	}
}

func with(s Stat, f func(*Stat)) Stat { f(&s); return s }
