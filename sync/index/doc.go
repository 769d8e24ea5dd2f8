// Package index compares the listings of a fleet's computers. For each file of a project
// it picks, once across the fleet, the copy a sync keeps (the newest, as rsync --update
// does) and tells, for each computer, what it would receive and what it holds that the
// others lack or hold older. From the same comparison it plans what a sync or push would
// change on each destination, which is what a dry run reports.
package index
