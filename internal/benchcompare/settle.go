package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// On an ext4 without a journal (this machine's root file system), the kernel skips, for
// every inode it allocates, the free inodes of the block group that were deleted in the
// last minutes (fs/ext4/ialloc.c, recently_deleted: one minute after the inode table was
// written back, five more while it is dirty — and creating files keeps it dirty), scanning
// them from the start of the group each time. Creating the site's 12,000 files then costs
// seconds of kernel time instead of a fraction of one. A run of bench-compare deletes its
// hundreds of thousands of files at the end, so the next run, if it starts within minutes,
// would measure that scan as the site's cost. The run leaves a stamp, and the next one on
// such a file system waits until the files it deleted have settled.

// settleTime is how long after a run's deletions the next one waits.
const settleTime = 8 * time.Minute

// stampPath is where a run notes when it deleted its files.
func stampPath() string { return filepath.Join(os.TempDir(), "reqtrail-bench-compare.deleted") }

// noteDeleted records that this run's files were deleted now.
func noteDeleted() {
	_ = os.WriteFile(stampPath(), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644)
}

// settle waits until settleTime after the last run's deletions when dir is on an ext4
// without a journal.
func settle(dir string) {
	data, err := os.ReadFile(stampPath())
	if err != nil {
		return
	}
	at, err := time.Parse(time.RFC3339, strings.TrimSpace(string(data)))
	if err != nil {
		return
	}
	wait := time.Until(at.Add(settleTime))
	if wait <= 0 || !ext4WithoutJournal(dir) {
		return
	}
	fmt.Fprintf(os.Stderr, "the last run deleted its files at %s on an ext4 without a journal, where files created within minutes of that cost the kernel a scan of the freed inodes: waiting %s (-settle=false not to)\n",
		at.Local().Format("15:04:05"), wait.Round(time.Second))
	time.Sleep(wait)
}

// ext4WithoutJournal reports whether dir is on an ext4 file system that has no journal
// (Linux: the mount table and /sys/fs/ext4/DEV/journal_task, "<none>" without one).
func ext4WithoutJournal(dir string) bool {
	abs, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return false
	}
	defer f.Close()
	best, fsType, source := "", "", ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER
		fields := strings.Fields(sc.Text())
		sep := -1
		for i, x := range fields {
			if x == "-" {
				sep = i
				break
			}
		}
		if sep < 5 || sep+2 >= len(fields) {
			continue
		}
		mp := fields[4]
		if (abs == mp || strings.HasPrefix(abs, strings.TrimSuffix(mp, "/")+"/")) && len(mp) >= len(best) {
			best, fsType, source = mp, fields[sep+1], fields[sep+2]
		}
	}
	if fsType != "ext4" {
		return false
	}
	data, err := os.ReadFile(filepath.Join("/sys/fs/ext4", filepath.Base(source), "journal_task"))
	return err == nil && strings.TrimSpace(string(data)) == "<none>"
}
