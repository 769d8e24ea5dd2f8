package plan

// Step is one transfer: From's folders are copied onto To.
type Step struct {
	From, To string
}

// Plan is the steps of one action, in rounds run one after the other.
type Plan struct {
	Rounds [][]Step
}

// Steps returns every step in order.
func (p Plan) Steps() []Step {
	var all []Step
	for _, r := range p.Rounds {
		all = append(all, r...)
	}
	return all
}

// RelayThreshold is the fleet size above which a push goes through a relay tree.
const RelayThreshold = 3

// Push sends from's folders to every other computer. Up to RelayThreshold computers in all,
// in one parallel round; beyond, every computer that already has the data passes it on in
// the next round, so the sender's uplink carries ⌈log2 N⌉ copies instead of N-1.
func Push(from string, others []string) Plan {
	var targets []string
	for _, o := range others {
		if o != from {
			targets = append(targets, o)
		}
	}
	if len(targets)+1 <= RelayThreshold {
		return Fan(from, targets)
	}
	return relayTree(from, targets)
}

// Fan sends from's folders to every other computer in one round: for a fleet whose
// remote-to-remote transfers would go through this computer anyway (no ssh agent), where
// a relay tree only adds hops.
func Fan(from string, others []string) Plan {
	var round []Step
	for _, o := range others {
		if o != from {
			round = append(round, Step{From: from, To: o})
		}
	}
	if len(round) == 0 {
		return Plan{}
	}
	return Plan{Rounds: [][]Step{round}}
}

func relayTree(from string, targets []string) Plan {
	var p Plan
	holders := []string{from}
	for len(targets) > 0 {
		var round []Step
		for _, h := range holders {
			if len(targets) == 0 {
				break
			}
			round = append(round, Step{From: h, To: targets[0]})
			targets = targets[1:]
		}
		for _, s := range round {
			holders = append(holders, s.To)
		}
		p.Rounds = append(p.Rounds, round)
	}
	return p
}

// Distribute copies from holders (who already have everything) to receivers, each holder
// serving one receiver a round. Receive-only computers get their data this way, since no
// one may copy from them.
func Distribute(holders, receivers []string) Plan {
	var p Plan
	if len(holders) == 0 {
		return p
	}
	for len(receivers) > 0 {
		n := min(len(holders), len(receivers))
		round := make([]Step, n)
		for i := range n {
			round[i] = Step{From: holders[i], To: receivers[i]}
		}
		p.Rounds = append(p.Rounds, round)
		receivers = receivers[n:]
	}
	return p
}

// Then returns p followed by the rounds of next.
func (p Plan) Then(next Plan) Plan {
	return Plan{Rounds: append(append([][]Step(nil), p.Rounds...), next.Rounds...)}
}
