package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

var refOnce struct {
	sync.Once
	err error
}

// reference generates the projects' data once, in <work>/ref.
func (b *bench) reference() (string, error) {
	ref := filepath.Join(b.work, "ref")
	refOnce.Do(func() {
		b.say("fleetbench: generating %d projects × (%d × %d B files + %d × %d MiB checkpoints)",
			b.o.projects, b.o.files, b.o.fileSize, b.o.ckpts, b.o.ckptMB)
		refOnce.err = b.genReference(ref)
	})
	return ref, refOnce.err
}

func (b *bench) allFolders() []string {
	var fs []string
	for i := 0; i < b.o.projects; i++ {
		fs = append(fs, projectFolders(projectName(i))...)
	}
	return fs
}

func (b *bench) script(name string) string { return filepath.Join(b.repo, "bench", name) }

// fileSyncJSON is the part of "filesync sync --json" the report uses.
type fileSyncJSON struct {
	Status     string `json:"status"`
	Summary    string `json:"summary"`
	DurationMS int64  `json:"duration_ms"`
	Transfers  []struct {
		From       string `json:"from"`
		To         string `json:"to"`
		Command    string `json:"command"`
		Bytes      int64  `json:"bytes"`
		Files      int64  `json:"files"`
		DurationMS int64  `json:"duration_ms"`
		Tries      int    `json:"tries"`
	} `json:"transfers"`
}

// fileSyncContender runs filesync with args (--json added) and keeps its results in c.
func (b *bench) fileSyncContender(c *caseResult, key string, fsi *fileSync, plan func(fileSyncJSON) [][][2]string, args ...string) contender {
	argv := append([]string{b.bin}, args...)
	argv = append(argv, "--json")
	return contender{
		key:  key,
		argv: argv,
		env:  fsi.env,
		json: func(out []byte) {
			var res fileSyncJSON
			if err := json.Unmarshal(out, &res); err != nil {
				c.notes = append(c.notes, fmt.Sprintf("%s: could not read FileSync's JSON: %v", key, err))
				return
			}
			c.fileSync[key] = append(c.fileSync[key], fileSyncRun{res: res, plan: plan(res)})
		},
	}
}

// runLoopbackCases runs a, b and c on K sshd computers on loopback.
func (b *bench) runLoopbackCases() {
	var cs []*caseResult
	byID := map[string]*caseResult{}
	K := b.o.k
	last := fmt.Sprintf("c%d", K)
	titles := map[string]string{
		"a": fmt.Sprintf("(a) no-op Sync all: %d computers × %d projects, nothing changed", K, b.o.projects),
		"b": fmt.Sprintf("(b) Sync all after %g %% of the files changed on %s", b.o.changed, last),
		"c": fmt.Sprintf("(c) first Sync all: the data on c1, %d empty computers", K-1),
	}
	for _, id := range []string{"a", "b", "c"} {
		if strings.Contains(b.o.cases, id) {
			c := b.newCase(id, titles[id])
			cs = append(cs, c)
			byID[id] = c
		}
	}
	fail := func(err error) {
		for _, c := range cs {
			if c.err == "" && c.skip == "" {
				c.err = "setup: " + err.Error()
			}
		}
		b.say("fleetbench: cases a-c: %v", err)
	}
	if K < 2 {
		fail(fmt.Errorf("-k %d: a fleet needs at least 2 computers", K))
		return
	}
	ref, err := b.reference()
	if err != nil {
		fail(err)
		return
	}
	folders := b.allFolders()
	want, err := list(ref, folders)
	if err != nil {
		fail(err)
		return
	}
	dir := filepath.Join(b.work, "abc")
	b.say("fleetbench: starting %d sshd computers on 127.0.5.x", K)
	fl, err := b.startLoopback(dir, K, "127.0.5")
	if err != nil {
		fail(err)
		return
	}
	defer os.RemoveAll(filepath.Join(dir, "roots")) // room for case d's data
	var roots []string
	for _, c := range fl.computers {
		roots = append(roots, c.root)
	}
	fsi := b.newFileSync("abc")
	if err := fsi.addComputers(fl); err != nil {
		fail(err)
		return
	}
	for i := 0; i < b.o.projects; i++ {
		if err := fsi.cli("project", "add", projectName(i)); err != nil {
			fail(err)
			return
		}
	}
	b.say("fleetbench: copying the data to every computer")
	if err := b.mirror(ref, roots...); err != nil {
		fail(err)
		return
	}
	key := filepath.Join(dir, "client_key")
	expertEnv := []string{"EXPERT_CONTROL_DIR=" + filepath.Join(b.work, "cm-abc")}
	if b.o.jobs > 0 {
		expertEnv = append(expertEnv, "EXPERT_JOBS="+strconv.Itoa(b.o.jobs))
	}
	contenders := func(c *caseResult, prep func(int) error, verify func(int) error, syncArgs ...string) []contender {
		seed := contender{key: "seed", argv: append([]string{b.script("seed-loop.sh"), "pull-all", fl.tsv(), key}, folders...), cmdlog: true}
		expert := contender{key: "expert", argv: append([]string{b.script("expert.sh"), "pull-all", fl.tsv(), key}, folders...),
			env: expertEnv, cmdlog: true}
		fs := b.fileSyncContender(c, "filesync", fsi, syncAllRounds, append([]string{"sync"}, syncArgs...)...)
		out := []contender{seed, expert, fs}
		for i := range out {
			out[i].prep, out[i].verify = prep, verify
		}
		return out
	}
	syncedFleet := func(int) error { return checkFleet(fl.computers, folders, want) }

	if c := byID["a"]; c != nil {
		c.data = b.dataLine()
		b.measure(c, b.o.runs, contenders(c, nil, syncedFleet))
	}
	if c := byID["b"]; c != nil {
		var changes changeSet
		prep := func(run int) error {
			if err := b.mirror(ref, roots...); err != nil {
				return err
			}
			changes = b.makeChanges(run, want)
			return changes.apply(fl.computers[K-1].root)
		}
		verify := func(run int) error {
			if err := syncedFleet(run); err != nil {
				return err
			}
			return changes.check(fl.computers)
		}
		c.data = fmt.Sprintf("%s; before each run %d dataset files (%g %% of %d) get new contents and a new time on %s",
			b.dataLine(), len(b.makeChanges(1, want)), b.o.changed, len(want), last)
		b.measure(c, b.o.runs, contenders(c, prep, verify))
	}
	if c := byID["c"]; c != nil {
		prep := func(int) error {
			if err := b.mirror(ref, roots[0]); err != nil {
				return err
			}
			for _, r := range roots[1:] {
				if err := emptyRoot(r, folders); err != nil {
					return err
				}
			}
			return nil
		}
		// FileSync remembers the earlier cases' syncs: folders emptied since then are halted
		// as an unmounted disk would be, unless forced, which fills them from c1.
		c.data = fmt.Sprintf("%s on c1; the others have empty project folders (FileSync: `sync --force`, since it knows they held the data before)", b.dataLine())
		b.measure(c, b.o.slowRuns, contenders(c, prep, syncedFleet, "--force"))
	}
}

func (b *bench) dataLine() string {
	per := int64(b.o.files)*int64(b.o.fileSize) + int64(b.o.ckpts)*int64(b.o.ckptMB)<<20
	return fmt.Sprintf("%d projects, each data/pN: %s files of %s in folders of %d, models/pN: %d checkpoint(s) of %d MiB (%s per computer)",
		b.o.projects, thousands(b.o.files), sizeText(int64(b.o.fileSize)), filesPerDir, b.o.ckpts, b.o.ckptMB,
		sizeText(per*int64(b.o.projects)))
}

// runCaseD pushes a new checkpoint over shaped links between network namespaces.
func (b *bench) runCaseD() {
	n := b.o.nsCount
	c := b.newCase("d", fmt.Sprintf("(d) push a new %d MiB checkpoint from n1 to %d others, %s links", b.o.pushMB, n-1, rateText(b.o.rate)))
	if n < 2 {
		c.skip = fmt.Sprintf("-ns %d: needs at least 2 computers", n)
		return
	}
	if err := netnsUsable(); err != nil {
		c.skip = err.Error()
		b.say("fleetbench: case d skipped: %s", c.skip)
		return
	}
	ref, err := b.reference()
	if err != nil {
		c.err = err.Error()
		return
	}
	dir := filepath.Join(b.work, "d")
	b.say("fleetbench: case d: starting %d computers in network namespaces on 198.18.0.x", n)
	fl, err := b.startNetns(dir, n)
	if reason, ok := isSkip(err); ok {
		c.skip = reason
		b.say("fleetbench: case d skipped: %s", reason)
		return
	}
	if err != nil {
		c.err = err.Error()
		return
	}
	p := projectName(0)
	folders := projectFolders(p)
	refd := filepath.Join(b.work, "refd")
	for _, f := range folders {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(refd, f)), 0o755); err != nil {
			c.err = err.Error()
			return
		}
		// hard links: refd is only ever read
		if err := b.run("cp", "-al", filepath.Join(ref, f), filepath.Join(refd, f)); err != nil {
			c.err = err.Error()
			return
		}
	}
	var roots []string
	for _, comp := range fl.computers {
		roots = append(roots, comp.root)
	}
	sender, receivers := fl.computers[0], fl.computers[1:]
	b.say("fleetbench: case d: copying %s's data to every computer and a %d MiB checkpoint to n1", p, b.o.pushMB)
	if err := b.mirror(refd, roots...); err != nil {
		c.err = err.Error()
		return
	}
	ckptRel := filepath.Join("models", p, "epoch-new.ckpt")
	if err := genCheckpoint(filepath.Join(sender.root, ckptRel), b.o.pushMB, newRNG("push")); err != nil {
		c.err = err.Error()
		return
	}
	want, err := list(refd, folders)
	if err != nil {
		c.err = err.Error()
		return
	}
	want[ckptRel] = int64(b.o.pushMB) << 20
	var receiverRoots []string
	for _, r := range receivers {
		receiverRoots = append(receiverRoots, r.root)
	}
	prep := func(int) error { return b.mirror(refd, receiverRoots...) }
	verifyOn := func(cs []computer) func(int) error {
		return func(int) error {
			for _, r := range cs {
				if err := sameEnds(filepath.Join(sender.root, ckptRel), filepath.Join(r.root, ckptRel)); err != nil {
					return err
				}
			}
			return checkFleet(cs, folders, want)
		}
	}
	fsi := b.newFileSync("d")
	if err := fsi.addComputers(fl); err != nil {
		c.err = err.Error()
		return
	}
	if err := fsi.cli("project", "add", p); err != nil {
		c.err = err.Error()
		return
	}
	key := filepath.Join(dir, "client_key")
	ssh := "ssh -p " + strconv.Itoa(receivers[0].port) + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i " + key
	one := contender{key: "ref", prep: prep, verify: verifyOn(receivers[:1]),
		argv: []string{"ip", "netns", "exec", sender.netns, "rsync", "-a", "-e", ssh,
			filepath.Join(sender.root, "models", p) + "/", currentUser() + "@" + receivers[0].host + ":" + filepath.Join(receivers[0].root, "models", p) + "/"}}
	seed := contender{key: "seed", prep: prep, verify: verifyOn(receivers), cmdlog: true,
		argv: append([]string{b.script("seed-loop.sh"), "push", fl.tsv(), key, sender.name}, folders...)}
	expert := contender{key: "expert", prep: prep, verify: verifyOn(receivers), cmdlog: true,
		env:  []string{"EXPERT_CONTROL_DIR=" + filepath.Join(b.work, "cm-d")},
		argv: append([]string{b.script("expert.sh"), "push", fl.tsv(), key, sender.name}, folders...)}
	var names []string
	for _, comp := range fl.computers {
		if comp.name != sender.name {
			names = append(names, comp.name)
		}
	}
	sort.Strings(names)
	fs := b.fileSyncContender(c, "filesync", fsi, func(fileSyncJSON) [][][2]string { return pushRounds(sender.name, names) },
		"push", "--project", p, "--from", sender.name)
	fs.prep, fs.verify = prep, verifyOn(receivers)
	c.data = fmt.Sprintf("every computer holds %s (data/%s: %s files of %s, models/%s: %d × %d MiB); n1 has a new %d MiB checkpoint; each computer sits behind its own %s link (tc tbf on both ends of its veth)",
		p, p, thousands(b.o.files), sizeText(int64(b.o.fileSize)), p, b.o.ckpts, b.o.ckptMB, b.o.pushMB, rateText(b.o.rate))
	b.measure(c, b.o.slowRuns, []contender{one, seed, expert, fs})
}

// runCaseE compares FileSync with one bare rsync on a large no-op between two computers.
func (b *bench) runCaseE() {
	c := b.newCase("e", fmt.Sprintf("(e) no-op between two computers, %s files", thousands(b.o.eFiles)))
	dir := filepath.Join(b.work, "e")
	here := filepath.Join(dir, "here")
	b.say("fleetbench: case e: generating %d files", b.o.eFiles)
	rel := "data/big"
	if err := genDataset(here, rel, b.o.eFiles, b.o.eFileSize, newRNG("e")); err != nil {
		c.err = err.Error()
		return
	}
	if err := settle(here, rel); err != nil {
		c.err = err.Error()
		return
	}
	fl, err := b.startLoopback(dir, 1, "127.0.6")
	if err != nil {
		c.err = err.Error()
		return
	}
	remote := fl.computers[0]
	if err := b.mirror(here, remote.root); err != nil {
		c.err = err.Error()
		return
	}
	want, err := list(here, []string{rel})
	if err != nil {
		c.err = err.Error()
		return
	}
	fsi := b.newFileSync("e")
	if err := fsi.cli("computer", "add", "here", "--local", "--root", here); err != nil {
		c.err = err.Error()
		return
	}
	if err := fsi.addComputers(fl); err != nil {
		c.err = err.Error()
		return
	}
	if err := fsi.cli("project", "add", "big", "--sync", "[ data ]"); err != nil {
		c.err = err.Error()
		return
	}
	verify := func(int) error {
		return checkFleet([]computer{{name: "here", root: here}, remote}, []string{rel}, want)
	}
	key := filepath.Join(dir, "client_key")
	ssh := "ssh -p " + strconv.Itoa(remote.port) + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i " + key
	local, far := filepath.Join(here, rel)+"/", currentUser()+"@"+remote.host+":"+filepath.Join(remote.root, rel)+"/"
	bare := contender{key: "ref", verify: verify, argv: []string{"rsync", "-a", "-e", ssh, local, far}}
	// The two-way job by hand: there, then back.
	bareBoth := contender{key: "ref2", verify: verify, argv: []string{"sh", "-c", `rsync -a -e "$0" "$1" "$2" && rsync -a -e "$0" "$2" "$1"`,
		ssh, local, far}}
	fs := b.fileSyncContender(c, "filesync", fsi, syncAllRounds, "sync")
	fs.verify = verify
	push := b.fileSyncContender(c, "push", fsi, func(fileSyncJSON) [][][2]string { return pushRounds("here", []string{remote.name}) },
		"push", "--project", "big", "--from", "here")
	push.verify = verify
	c.data = fmt.Sprintf("%s files of %s in folders of %d, identical on this computer (FileSync: --local) and one sshd computer",
		thousands(b.o.eFiles), sizeText(int64(b.o.eFileSize)), filesPerDir)
	b.measure(c, b.o.eRuns, []contender{bare, bareBoth, push, fs})
	if d, ok := pairedExtra(c.times["push"], c.times["ref"]); ok {
		c.notes = append(c.notes, fmt.Sprintf("paired run by run (the contenders take turns), `push` took %s than one `rsync -a` (median of %d; min %s, max %s)",
			extraText(d.median), d.n, extraText(d.min), extraText(d.max)))
	}
}

// syncAllRounds is what a Sync all ran: planned from the fleet's listings, its transfers
// (one per computer pair that had anything to send) all start at once, one round.
func syncAllRounds(res fileSyncJSON) [][][2]string {
	var round [][2]string
	for _, t := range res.Transfers {
		round = append(round, [2]string{t.From, t.To})
	}
	if round == nil {
		return nil
	}
	return [][][2]string{round}
}

// pushRounds is FileSync's push plan (sync/plan.Push): one round up to three computers,
// beyond that a relay tree where every computer holding the data passes it on.
func pushRounds(from string, targets []string) [][][2]string {
	if len(targets)+1 <= 3 {
		var round [][2]string
		for _, t := range targets {
			round = append(round, [2]string{from, t})
		}
		return [][][2]string{round}
	}
	var rounds [][][2]string
	holders := []string{from}
	for len(targets) > 0 {
		var round [][2]string
		for _, h := range holders {
			if len(targets) == 0 {
				break
			}
			round = append(round, [2]string{h, targets[0]})
			targets = targets[1:]
		}
		for _, s := range round {
			holders = append(holders, s[1])
		}
		rounds = append(rounds, round)
	}
	return rounds
}
