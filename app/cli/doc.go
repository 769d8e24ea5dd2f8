// Package cli is FileSync's command line (design §8), built with cobra. Exit codes: 0 when
// everything succeeded, 1 when a transfer or check failed, 2 on bad input, in which case
// nothing was changed.
package cli
