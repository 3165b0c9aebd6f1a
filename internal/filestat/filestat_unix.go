//go:build linux || darwin

package filestat

import "syscall"

// fromSys is the stat data of st with its change and modification times ct and mt (whose
// field names differ by platform), as git's index would store it.
func fromSys(st *syscall.Stat_t, ct, mt syscall.Timespec) Stat {
	return Stat{
		CtimeSec: uint32(ct.Sec), CtimeNsec: uint32(ct.Nsec),
		MtimeSec: uint32(mt.Sec), MtimeNsec: uint32(mt.Nsec),
		Dev: uint32(st.Dev), Ino: uint32(st.Ino),
		UID: st.Uid, GID: st.Gid,
		Size: uint32(st.Size),
	}
}
