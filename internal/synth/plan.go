package synth

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"time"
)

// Damage kinds.
const (
	damageBadLines  = "bad-lines"
	damageTruncated = "truncated"
)

// job is one object to write. Jobs are planned up front, in a fixed order,
// and each carries its own RNG seed, so workers can run them in any order
// and still produce the same bytes.
type job struct {
	fl      *flowLog // nil for the transit gateway file
	tgw     bool
	w0      int64 // window start, Unix seconds
	n       int   // benign records to generate
	planted []rec
	damage  string
	hash    string
	key     string
	seed    uint64
}

func (j *job) window() time.Time { return time.Unix(j.w0, 0).UTC() }

// planner turns a configuration into jobs.
type planner struct {
	cfg   Config
	w     *world
	rng   *rand.Rand
	used  map[string]bool // file names already taken: hashes must not collide
	start int64
	wins  int // 5-minute windows in the dataset
}

func newPlanner(cfg Config, w *world) *planner {
	return &planner{
		cfg: cfg, w: w,
		rng:   rand.New(rand.NewPCG(mix64(uint64(cfg.Seed), 0x706c616e), 7)),
		used:  map[string]bool{},
		start: cfg.Start.Unix(),
		wins:  cfg.Days * 86400 / window,
	}
}

func (p *planner) newJob(fl *flowLog, wi, part int) job {
	j := job{fl: fl, w0: p.start + int64(wi)*window}
	j.seed = mix64(uint64(p.cfg.Seed), uint64(wi), uint64(part), uint64(len(p.used)))
	account, region, flID, ext := "", "", "", ".log.gz"
	switch {
	case fl == nil:
		t := p.w.tgw
		account, region, flID = AccountProd, t.prod.vpc.region, t.flowLogID
	default:
		account, region, flID = fl.vpc.account, fl.vpc.region, fl.id
		if fl.parquet {
			ext = ".log.parquet"
		}
	}
	prefix, layout := "", LayoutPlain
	if fl != nil {
		prefix, layout = fl.prefix, fl.layout
	}
	for {
		j.hash = hash8(p.rng)
		j.key = objectKey(prefix, account, region, flID, layout, j.window(), j.hash, ext)
		if !p.used[j.key] {
			p.used[j.key] = true
			return j
		}
	}
}

// benchJobs spreads ceil(Records/RecordsPerFile) full files evenly over the
// windows: several files share a window when there are more files than
// windows, as they do for busy flow logs.
func (p *planner) benchJobs() []job {
	fl := p.w.flowLogs[0]
	rpf := p.cfg.RecordsPerFile
	files := (p.cfg.Records + rpf - 1) / rpf
	jobs := make([]job, 0, files)
	part := 0
	for i := range files {
		wi := int(int64(i) * int64(p.wins) / int64(files))
		if i > 0 && int(int64(i-1)*int64(p.wins)/int64(files)) == wi {
			part++
		} else {
			part = 0
		}
		j := p.newJob(fl, wi, part)
		j.n = min(rpf, p.cfg.Records-i*rpf)
		jobs = append(jobs, j)
	}
	return jobs
}

// demoJobs plans the multi-account dataset: each flow log gets its share of
// the budget, spread over the windows along a day/night curve; a window's
// records go to one file, or several when they exceed RecordsPerFile.
func (p *planner) demoJobs(sets []plantedSet) []job {
	// Bucket planted records by flow log and window, in generation order.
	type key struct {
		fl *flowLog
		wi int
	}
	buckets := map[key][]rec{}
	for _, s := range sets {
		for _, r := range s.recs {
			k := key{s.fl, int((r.end - p.start) / window)}
			buckets[k] = append(buckets[k], r)
		}
	}
	budget := p.cfg.Records
	tgw := budget >= 1000
	if tgw {
		budget -= tgwRecords
	}
	var jobs []job
	left := budget
	for fi, fl := range p.w.flowLogs {
		n := int(math.Round(float64(budget) * fl.share))
		if fi == len(p.w.flowLogs)-1 {
			n = left
		}
		left -= n
		counts := p.spread(fl.vpc, n)
		for wi, c := range counts {
			planted := buckets[key{fl, wi}]
			if c == 0 && len(planted) == 0 {
				continue
			}
			parts := max(1, (c+p.cfg.RecordsPerFile-1)/p.cfg.RecordsPerFile)
			for part := range parts {
				j := p.newJob(fl, wi, part)
				j.n = c/parts + boolInt(part < c%parts)
				if part == 0 {
					j.planted = planted
				}
				jobs = append(jobs, j)
			}
		}
		if fi == 0 && tgw {
			j := p.newJob(nil, min(10*12, p.wins-1), 0)
			j.tgw, j.n = true, tgwRecords
			jobs = append(jobs, j)
		}
	}
	p.markDamage(jobs)
	return jobs
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// spread distributes n records over the windows: a daily curve peaking at
// 15:00 UTC, quieter weekends, and some noise. It uses integers only, so the
// counts are the same on every architecture (no fused multiply-add, no
// platform-dependent math functions), and they add up to exactly n.
func (p *planner) spread(v *vpc, n int) []int {
	// 1000·cos(2π(h−15)/24) for h = 0..23.
	cos := [25]int64{-707, -866, -966, -1000, -966, -866, -707, -500, -259, 0, 259, 500,
		707, 866, 966, 1000, 966, 866, 707, 500, 259, 0, -259, -500, -707}
	weights := make([]uint64, p.wins)
	var sum uint64
	for i := range weights {
		t := time.Unix(p.start+int64(i)*window, 0).UTC()
		h, m := t.Hour(), int64(t.Minute())
		c := cos[h] + (cos[h+1]-cos[h])*m/60
		w := 1000 + v.diurnalAmp*c/1000
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			w = w * v.weekend / 1000
		}
		w *= 850 + p.rng.Int64N(301)
		weights[i] = uint64(w)
		sum += uint64(w)
	}
	counts := make([]int, p.wins)
	var acc uint64
	prev := 0
	for i, w := range weights {
		acc += w
		hi, lo := bits.Mul64(acc, uint64(n))
		q, _ := bits.Div64(hi, lo, sum) // acc ≤ sum, so hi < sum
		counts[i] = int(q) - prev
		prev = int(q)
	}
	return counts
}

// markDamage picks the damaged objects: the busiest file of day one
// without planted records in the prod default-format log gets bad lines, and
// the busiest such file in the dev log gets truncated.
func (p *planner) markDamage(jobs []job) {
	dayEnd := p.start + 86400
	pick := func(fl *flowLog) int {
		best := -1
		for i := range jobs {
			j := &jobs[i]
			if j.fl != fl || j.tgw || len(j.planted) > 0 || j.w0 >= dayEnd || j.damage != "" {
				continue
			}
			if best < 0 || j.n > jobs[best].n {
				best = i
			}
		}
		return best
	}
	if i := pick(p.w.flowLogs[0]); i >= 0 {
		jobs[i].damage = damageBadLines
	}
	if i := pick(p.w.flowLogs[2]); i >= 0 && jobs[i].n >= 4 {
		jobs[i].damage = damageTruncated
	}
}
