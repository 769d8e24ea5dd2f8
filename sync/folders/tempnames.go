package folders

// TempNames are the ignore entries a new project starts with: names under which
// training frameworks and editors write files that are not finished yet. They are
// ordinary entries, listed with the project's others, so a user can remove any of them.
// (torch.save and Lightning write under the final name; a sync holds such a file back
// while it is open for writing instead.)
func TempNames() []string {
	return []string{
		"*.tmp",            // torch.distributed.checkpoint's .metadata.tmp, and many tools
		"tmp-checkpoint-*", // the Hugging Face Trainer's checkpoint folder before its rename
		"*.incomplete",     // a Hugging Face Hub download in progress
		"*.part",           // browsers' and download tools' partial files
		".*.swp", ".*.swx", // vim's swap files
		"*~", ".#*", // Emacs' backups and lock links
		"~$*", // an office program's lock files
	}
}
