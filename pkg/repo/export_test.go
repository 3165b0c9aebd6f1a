package repo

// FoldersTakenOver is how many folders the loader took over from an earlier load by their
// git tree, so far.
func FoldersTakenOver() int64 { return foldersTakenOver.Load() }
