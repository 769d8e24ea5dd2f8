package index

// Version is one computer's copy of a file.
type Version struct {
	Computer    string
	Size, MTime int64 // MTime in Unix seconds
	// Kept is where a losing copy was kept once the run overwrote it (filled in by the
	// run, which knows its versions folder).
	Kept string
}

// Conflict is a file changed on two or more computers since their last agreed states
// (or held in different versions by computers never synced): the newest copy wins, the
// others are overwritten.
type Conflict struct {
	Project, Path string
	Winner        Version
	Losers        []Version
}

// Halt is a computer's project that a sync leaves alone, or whose deletions it skips,
// and why, in words that say how to resume.
type Halt struct {
	Computer, Project string
	Reason            string
}
