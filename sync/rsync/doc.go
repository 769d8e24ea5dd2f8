// Package rsync builds rsync argv for FileSync's transfers and reads rsync's output:
// progress (--info=progress2), itemized changes and the closing statistics. It runs nothing.
package rsync
