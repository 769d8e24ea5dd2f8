// Package versions owns the kept copies of overwritten and deleted files: where they lie
// (<root>/.filesync/versions/<run>/<path>, the run folder named by rsync.VersionsName), how
// a listing of that folder reads as kept copies, and the retention policies that decide
// which copies expire. Expired is a pure function of the copies, the policy and the time.
// It must not import Fyne, data/ or app/.
package versions
