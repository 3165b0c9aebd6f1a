package record

// FastReads is how many files Read parsed with the fast parser so far.
func FastReads() int64 { return fastReads.Load() }
