// Package plan shapes the transfers of one action into rounds: transfers inside a round run
// in parallel, and no two of them write to the same computer. It deals in computer names
// only; what each transfer copies is the engine's business.
package plan
