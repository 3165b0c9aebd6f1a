package filestat

import "syscall"

// FromSys is the stat data of st, as git's index would store it; false where this platform's
// stat data is not read.
func FromSys(st *syscall.Stat_t) (Stat, bool) {
	return fromSys(st, st.Ctimespec, st.Mtimespec), true
}
