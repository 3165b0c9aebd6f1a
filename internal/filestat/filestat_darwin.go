package filestat

import "syscall"

// FromSys is the stat data of st, as git's index would store it; false where this platform's
// stat data is not read.
func FromSys(st *syscall.Stat_t) (Stat, bool) {
	mt, ct := st.Mtimespec, st.Ctimespec
	return Stat{
		CtimeSec: uint32(ct.Sec), CtimeNsec: uint32(ct.Nsec),
		MtimeSec: uint32(mt.Sec), MtimeNsec: uint32(mt.Nsec),
		Dev: uint32(st.Dev), Ino: uint32(st.Ino),
		UID: st.Uid, GID: st.Gid,
		Size: uint32(st.Size),
	}, true
}
