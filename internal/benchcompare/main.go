// Command benchcompare runs the benchmarks behind reqtrail's speed targets side by side with
// the floor (read every record file and yaml.v3-decode its front matter, on all cores) and
// prints each as a ratio to it: make bench-compare. The rounds interleave the benchmarks, so
// a change in the machine's load touches the floor and the commands alike; the medians are
// reported.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/reqtrail/reqtrail/internal/benchdir"
	"github.com/reqtrail/reqtrail/internal/benchpair"
	"github.com/reqtrail/reqtrail/internal/gitgen"
	"github.com/reqtrail/reqtrail/pkg/corpus"
)

// bench is one benchmark of the comparison; against is the label of the entry it is a
// ratio to (the floor, or lint for a whole-process row of check), "" for none; metric, when set, is the reported metric (in
// seconds per op) that stands for its time instead of ns/op.
type bench struct {
	label, pkg, name, against string
	metric                    string
	// args, when set, make this row whole runs of the reqtrail binary (built once) in the
	// checked-out benchmark repository instead of a Go benchmark: procRuns processes per
	// round, each a sample; warm runs share a record cache filled beforehand, cold ones run
	// with REQTRAIL_NO_CACHE=1.
	args []string
	warm bool
	// benchtime, when set, replaces -benchtime for this Go benchmark (fineTime, pairTime).
	benchtime string
	// pairedWith, when set, makes this a paired Go benchmark (internal/benchpair): it runs
	// the command and the one it is compared with (named here) alternately, one of each per
	// iteration, and reports the ratio pair by pair; its time is the command's.
	pairedWith string
}

const (
	floor = "floor: read + yaml.v3-decode 12,000 records"
	// lintProc and lintProcWarm are `reqtrail lint` of a checked-out repository of 10,000
	// requirements and 5,000 commits, whole runs of the binary, cold and with the record
	// cache warm.
	lintProc     = "reqtrail lint, whole process, cold"
	lintProcWarm = "reqtrail lint, whole process, record cache warm"
)

// procRuns is how many processes a whole-command row starts per round.
const procRuns = 10

// fineTime is the -benchtime of the floor, which every ratio to the floor divides by: at 3
// runs a round it moves by ±20 % on this machine (it read 0.44–0.65 s in four runs of one
// day); at 10 about ±5 %.
const fineTime = "10x"

// pairTime is the -benchtime (pairs per round) of the paired rows: check against lint, two
// runs a fraction of a second apart, pair after pair. The ratio of a single pair moves by
// ±10 % on this machine (quartiles of 0.93–1.18 in one round of 20 pairs); the median of 20
// pairs by about ±3 %.
const pairTime = "20x"

// sitePairTime is the -benchtime of the site's pairs with the floor (1.5 s a pair).
const sitePairTime = "6x"

var benches = []bench{
	fine(goRow(floor, "./pkg/lint", "BenchmarkFloor", "")),
	goRow("lint, cold", "./pkg/lint", "BenchmarkLint", floor),
	goRow("lint, record cache warm", "./pkg/lint", "BenchmarkLintCached", floor),
	pairRow("site into a fresh folder, against the floor", "./pkg/site", "BenchmarkSiteVsFloor10k", "floor").times(sitePairTime),
	goRow("site into a fresh folder", "./pkg/site", "BenchmarkSiteFromDisk10k", floor),
	goRow("site into a fresh folder, record cache warm", "./pkg/site", "BenchmarkSiteFromDiskCached10k", floor),
	pairRow("site into a fresh folder on tmpfs, against the floor", "./pkg/site", "BenchmarkSiteVsFloorTmpfs10k", "floor").times(sitePairTime),
	goRow("site into a fresh folder on tmpfs", "./pkg/site", "BenchmarkSiteFromDiskTmpfs10k", floor),
	goRow("site into a fresh folder on tmpfs, record cache warm", "./pkg/site", "BenchmarkSiteFromDiskTmpfsCached10k", floor),
	goRow("site rebuild into the last build's folder", "./pkg/site", "BenchmarkSiteRebuild10k", floor),
	goRow("site rebuild, record cache warm (as the CLI runs)", "./pkg/site", "BenchmarkSiteRebuildCached10k", floor),
	goMetricRow("serve: an edit shown on its record page", "./pkg/site", "BenchmarkServeEdit10k", floor, "s-to-record-page"),
	goRow("serve: an edit, every page updated", "./pkg/site", "BenchmarkServeEdit10k", floor),
	goRow("language server, initial load", "./pkg/lsp", "BenchmarkInitialLoad", floor),
	pairRow("check --base HEAD~5 against lint of HEAD, both read from git (5k commits)", "./pkg/gate", "BenchmarkCheckVsLintHead", "lint of HEAD"),
	pairRow("reqtrail check --base HEAD~5 against reqtrail lint, checked-out 10k/5k-commit repo, cold", "./pkg/cli", "BenchmarkCheckVsLint", "reqtrail lint"),
	pairRow("reqtrail check --base HEAD~5 against reqtrail lint, same, record cache warm", "./pkg/cli", "BenchmarkCheckVsLintWarm", "reqtrail lint (warm)"),
	procRow(lintProc, "", false, "lint"),
	procRow("reqtrail check --base HEAD~5, whole process, cold", lintProc, false, "check", "--base", "HEAD~5"),
	procRow(lintProcWarm, "", true, "lint"),
	procRow("reqtrail check --base HEAD~5, whole process, record cache warm", lintProcWarm, true, "check", "--base", "HEAD~5"),
	goRow("reqtrail rank, checked-out repo, cold (no response waits)", "./pkg/cli", "BenchmarkRankCLI", floor),
	goRow("reqtrail rank, cold, reading first-commit times", "./pkg/cli", "BenchmarkRankWalkCLI", floor),
	goRow("history walk, every status (site)", "./pkg/gitrepo", "BenchmarkHistory", floor),
	goRow("history walk, no status (rank)", "./pkg/gitrepo", "BenchmarkHistoryNoStatus", floor),
	goRow("history walk, one record (log ID)", "./pkg/gitrepo", "BenchmarkHistoryOneID", floor),
}

// goRow is a Go benchmark's row, a ratio to against ("" for none).
func goRow(label, pkg, name, against string) bench {
	return bench{label: label, pkg: pkg, name: name, against: against}
}

// goMetricRow is goRow whose time is the reported metric (seconds per op).
func goMetricRow(label, pkg, name, against, metric string) bench {
	b := goRow(label, pkg, name, against)
	b.metric = metric
	return b
}

// fine is b measured with fineTime.
func fine(b bench) bench {
	b.benchtime = fineTime
	return b
}

// pairRow is a paired Go benchmark's row: the command against the one named against,
// alternately (internal/benchpair).
func pairRow(label, pkg, name, against string) bench {
	return bench{label: label, pkg: pkg, name: name, pairedWith: against, benchtime: pairTime}
}

// times is b run with benchtime t.
func (b bench) times(t string) bench {
	b.benchtime = t
	return b
}

// procRow is a row of whole runs of `reqtrail args…`.
func procRow(label, against string, warm bool, args ...string) bench {
	return bench{label: label, against: against, args: args, warm: warm}
}

type result struct {
	wall []float64 // seconds per op, one per round
	cpu  []float64 // CPU seconds per op, when the benchmark reports it
	sys  []float64 // of which system (kernel) seconds, when reported
	// Of a paired row, per round: the median ratio of its pairs and their quartiles.
	ratio, q1, q3 []float64
}

func main() {
	rounds := flag.Int("rounds", 3, "interleaved rounds; the median is reported")
	benchtime := flag.String("benchtime", "3x", "-test.benchtime of each run (the floor runs "+fineTime+", the paired rows of check against lint "+pairTime+")")
	only := flag.String("only", "", "run only the benchmarks whose label contains this text (and what they are compared with)")
	doSettle := flag.Bool("settle", true, "on an ext4 without a journal, wait until the last run's deleted files have settled")
	flag.Parse()
	if *doSettle {
		settle(os.TempDir())
	}
	selected := selectBenches(*only)
	tmp, err := os.MkdirTemp("", "benchcompare")
	if err != nil {
		fail(err)
	}
	cleanup = func() {
		os.RemoveAll(tmp)
		noteDeleted()
	}
	defer cleanup()
	// The corpus and the git repository every benchmark process reads are made once, here,
	// and what the benchmarks write stays until the end (internal/benchdir): a process that
	// deletes 12,000 files makes the next one's file creation slow on this machine's ext4,
	// which would be measured as the site's.
	if err := os.Setenv(benchdir.Env, filepath.Join(tmp, "data")); err != nil {
		fail(err)
	}
	fmt.Fprintln(os.Stderr, "generating the corpus and the git repository")
	if _, err := corpus.Shared(10000); err != nil {
		fail(err)
	}
	g, err := gitgen.Bench()
	if err != nil {
		fail(err)
	}
	if err := g.Checkout(); err != nil {
		fail(err)
	}
	bins := map[string]string{}
	for _, b := range selected {
		if b.args != nil || bins[b.pkg] != "" {
			continue
		}
		bin := filepath.Join(tmp, strings.ReplaceAll(strings.Trim(b.pkg, "./"), "/", "_")+".test")
		fmt.Fprintf(os.Stderr, "building %s\n", b.pkg)
		if out, err := exec.Command("go", "test", "-c", "-o", bin, b.pkg).CombinedOutput(); err != nil {
			fail(fmt.Errorf("go test -c %s: %v\n%s", b.pkg, err, out))
		}
		bins[b.pkg] = bin
	}
	var proc *procRunner
	for _, b := range selected {
		if b.args != nil {
			if proc, err = newProcRunner(tmp, g.Dir); err != nil {
				fail(err)
			}
			break
		}
	}
	results := map[string]*result{}
	for r := 1; r <= *rounds; r++ {
		for _, b := range selected {
			// What the last benchmark wrote goes to disk now, not while this one measures.
			flush()
			if b.args != nil {
				// A whole-command row runs alternately with the rows compared with it, one
				// process each in turn, so that what the machine and its page cache do
				// meanwhile falls on both alike.
				if b.against != "" {
					continue // run with its base
				}
				group := []bench{b}
				for _, o := range selected {
					if o.args != nil && o.against == b.label {
						group = append(group, o)
					}
				}
				for _, o := range group {
					fmt.Fprintf(os.Stderr, "round %d/%d: reqtrail %s (%d runs)\n", r, *rounds, strings.Join(o.args, " "), procRuns)
				}
				for range procRuns {
					for _, o := range group {
						m, err := proc.run(o.args, o.warm)
						if err != nil {
							fail(err)
						}
						res := results[o.label]
						if res == nil {
							res = &result{}
							results[o.label] = res
						}
						res.wall = append(res.wall, m.wall)
						res.cpu = append(res.cpu, m.cpu)
					}
				}
				continue
			}
			fmt.Fprintf(os.Stderr, "round %d/%d: %s\n", r, *rounds, b.name)
			bt := *benchtime
			if b.benchtime != "" {
				bt = b.benchtime
			}
			cmd := exec.Command(bins[b.pkg], "-test.run", "^$", "-test.bench", "^"+b.name+"$", "-test.benchtime", bt)
			cmd.Dir = b.pkg
			out, err := cmd.CombinedOutput()
			if err != nil {
				fail(fmt.Errorf("%s %s: %v\n%s", b.pkg, b.name, err, out))
			}
			if b.pairedWith != "" {
				p, ok := parsePaired(out, b.name)
				if !ok {
					fail(fmt.Errorf("%s %s printed no paired result:\n%s", b.pkg, b.name, out))
				}
				res := results[b.label]
				if res == nil {
					res = &result{}
					results[b.label] = res
				}
				res.wall = append(res.wall, p.x.wall)
				res.cpu = append(res.cpu, p.x.cpu)
				res.ratio = append(res.ratio, p.ratio)
				res.q1 = append(res.q1, p.q1)
				res.q3 = append(res.q3, p.q3)
				continue
			}
			m, ok := parse(out, b.name, b.metric)
			if !ok {
				fail(fmt.Errorf("%s %s printed no result:\n%s", b.pkg, b.name, out))
			}
			res := results[b.label]
			if res == nil {
				res = &result{}
				results[b.label] = res
			}
			res.wall = append(res.wall, m.wall)
			if m.cpu > 0 {
				res.cpu = append(res.cpu, m.cpu)
			}
			if m.sys > 0 {
				res.sys = append(res.sys, m.sys)
			}
		}
	}
	short := map[string]string{floor: "floor", lintProc: "reqtrail lint", lintProcWarm: "reqtrail lint (warm)"}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "what\twall (median)\tratio\tspread\tCPU (median)\tof which system\n")
	for _, b := range selected {
		res := results[b.label]
		ratio, spread := "—", "—"
		switch {
		case b.pairedWith != "":
			// The median of the rounds' medians; the spread is the pairs' quartiles.
			ratio = fmt.Sprintf("%.2f× %s, paired", median(res.ratio), b.pairedWith)
			spread = fmt.Sprintf("%.2f–%.2f× (pairs' quartiles); rounds %.2f–%.2f×", median(res.q1), median(res.q3), slices.Min(res.ratio), slices.Max(res.ratio))
		case b.against != "" && b.args != nil:
			// Whole processes run alternately, one of each in turn: a ratio per pair.
			if base := results[b.against]; base != nil {
				if rs := pairRatios(res.wall, base.wall); rs != nil {
					ratio = fmt.Sprintf("%.2f× %s, paired", median(rs), short[b.against])
					spread = fmt.Sprintf("%.2f–%.2f× (pairs' quartiles)", quantile(rs, 0.25), quantile(rs, 0.75))
				}
			}
		case b.against != "":
			if base := results[b.against]; base != nil {
				ratio = fmt.Sprintf("%.2f× %s", median(res.wall)/median(base.wall), short[b.against])
				if lo, hi, ok := ratioRange(res.wall, base.wall); ok {
					spread = fmt.Sprintf("%.2f–%.2f× by round", lo, hi)
				}
			}
		}
		cpu := "—"
		if len(res.cpu) > 0 {
			cpu = fmt.Sprintf("%.2f s", median(res.cpu))
		}
		sys := "—"
		if len(res.sys) > 0 {
			sys = fmt.Sprintf("%.2f s", median(res.sys))
		}
		fmt.Fprintf(tw, "%s\t%.3f s\t%s\t%s\t%s\t%s\n", b.label, median(res.wall), ratio, spread, cpu, sys)
	}
	tw.Flush()
}

// selectBenches returns the rows whose label contains only ("": all), with the rows they
// are ratios to, in the table's order.
func selectBenches(only string) []bench {
	if only == "" {
		return slices.Clone(benches)
	}
	keep := map[string]bool{}
	for _, b := range benches {
		if strings.Contains(b.label, only) {
			keep[b.label] = true
			if b.against != "" {
				keep[b.against] = true
			}
		}
	}
	var out []bench
	for _, b := range benches {
		if keep[b.label] {
			out = append(out, b)
		}
	}
	return out
}

// measure is one run's figures, in seconds per op.
type measure struct{ wall, cpu, sys float64 }

// metrics calls each with every value and unit benchmark name reported in go test's output.
func metrics(out []byte, name string, each func(unit string, v float64)) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || (f[0] != name && !strings.HasPrefix(f[0], name+"-")) {
			continue
		}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				each(f[i+1], v)
			}
		}
	}
}

// parse reads the wall seconds per op (or the metric, when set), the CPU seconds per op
// (cpu-ms/op or cpu-s/op) and the system seconds of them (sys-s/op), when reported, of
// benchmark name from go test's output.
func parse(out []byte, name, metric string) (m measure, found bool) {
	metrics(out, name, func(unit string, v float64) {
		switch unit {
		case metric:
			m.wall, found = v, true
		case "ns/op":
			if metric == "" {
				m.wall, found = v/1e9, true
			}
		case "cpu-ms/op":
			m.cpu = v / 1e3
		case "cpu-s/op":
			m.cpu = v
		case "sys-s/op":
			m.sys = v
		}
	})
	return m, found
}

// paired is a paired benchmark's figures: the command's time (x), the median ratio of its
// pairs and their quartiles.
type paired struct {
	x             measure
	ratio, q1, q3 float64
}

// parsePaired reads what internal/benchpair reports of benchmark name from go test's output.
func parsePaired(out []byte, name string) (p paired, found bool) {
	var got int
	metrics(out, name, func(unit string, v float64) {
		switch unit {
		case "x-s/op":
			p.x.wall = v
			got++
		case "x-cpu-s/op":
			p.x.cpu = v
		case "ratio":
			p.ratio = v
			got++
		case "ratio-q1":
			p.q1 = v
		case "ratio-q3":
			p.q3 = v
		}
	})
	return p, got == 2
}

// pairRatios returns xs[i]/base[i] for samples taken in pairs (nil unless both have as many).
func pairRatios(xs, base []float64) []float64 {
	if len(xs) == 0 || len(xs) != len(base) {
		return nil
	}
	out := make([]float64, len(xs))
	for i := range xs {
		out[i] = xs[i] / base[i]
	}
	return out
}

// ratioRange returns the lowest and highest ratio of xs to base taken sample by sample (the
// same round, or the same run of a round), when both have as many samples.
func ratioRange(xs, base []float64) (lo, hi float64, ok bool) {
	if len(xs) == 0 || len(xs) != len(base) {
		return 0, 0, false
	}
	for i := range xs {
		r := xs[i] / base[i]
		if i == 0 || r < lo {
			lo = r
		}
		if i == 0 || r > hi {
			hi = r
		}
	}
	return lo, hi, true
}

func median(xs []float64) float64 { return benchpair.Median(xs) }

func quantile(xs []float64, q float64) float64 { return benchpair.Quantile(xs, q) }

// cleanup removes the run's folder, once it is made.
var cleanup = func() {}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchcompare:", err)
	cleanup()
	os.Exit(2)
}
