package synth

import (
	"bytes"
	stdgzip "compress/gzip"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/gzip"
)

// worker writes files; it owns reusable buffers and is used by one
// goroutine at a time.
type worker struct {
	w    *world
	dir  string
	recs []rec
	perm []int32
	line []byte
	out  bytes.Buffer
	gz   *gzip.Writer
}

func newWorker(w *world, dir string) *worker {
	gz, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression) // the level is valid
	return &worker{w: w, dir: dir, gz: gz, line: make([]byte, 0, 64<<10)}
}

// result is what a job produced, for the manifest.
type result struct {
	file   File
	damage *Damage
	lost   int
}

func (wk *worker) run(j *job) (result, error) {
	rng := rand.New(rand.NewPCG(j.seed, mix64(j.seed)))
	res := result{file: File{Path: j.key, Window: j.window(), Format: "text", Planted: len(j.planted)}}
	if j.tgw {
		res.file.FlowLogID, res.file.Layout = wk.w.tgw.flowLogID, LayoutPlain
	} else {
		res.file.FlowLogID, res.file.Layout = j.fl.id, j.fl.layout
	}
	wk.out.Reset()
	var err error
	switch {
	case j.tgw:
		body := append(wk.line[:0], formatTGW+"\n"...)
		body = tgwBody(body, rng, wk.w.tgw, j.w0)
		wk.line = body
		err = wk.gzipBytes(body)
		res.file.Records, res.file.DataLines = j.n, j.n
	case j.fl.parquet:
		wk.generate(rng, j, 0)
		res.file.Format = "parquet"
		err = wk.writeParquet(j.fl)
		res.file.Records, res.file.DataLines = len(wk.perm), len(wk.perm)
	default:
		err = wk.text(rng, j, &res)
	}
	if err != nil {
		return res, fmt.Errorf("synth: write %s: %w", j.key, err)
	}
	res.file.Bytes = int64(wk.out.Len())
	full := filepath.Join(wk.dir, filepath.FromSlash(j.key))
	if err := os.WriteFile(full, wk.out.Bytes(), 0o644); err != nil {
		return res, fmt.Errorf("synth: write %s: %w", j.key, err)
	}
	// S3 delivers a window's file some minutes after it closes; a local
	// source that uses mtime as LastModified sees the same ordering.
	mt := time.Unix(j.w0+window+360+int64(rng.IntN(240)), 0)
	if err := os.Chtimes(full, mt, mt); err != nil {
		return res, fmt.Errorf("synth: set time %s: %w", j.key, err)
	}
	return res, nil
}

// generate fills wk.recs with the job's records (benign plus planted) and
// wk.perm with a shuffled output order: records from all ENIs are merged
// in a delivered file, and readers must not rely on order.
func (wk *worker) generate(rng *rand.Rand, j *job, extra int) {
	g := newGen(rng, wk.w, j.fl.vpc, j.w0, j.n+extra, wk.recs)
	wk.recs = append(g.fill(), j.planted...)
	wk.perm = wk.perm[:0]
	for i := range wk.recs {
		wk.perm = append(wk.perm, int32(i))
	}
	rng.Shuffle(len(wk.perm), func(a, b int) { wk.perm[a], wk.perm[b] = wk.perm[b], wk.perm[a] })
}

// text writes a gzip text object: header line, then one line per record.
func (wk *worker) text(rng *rand.Rand, j *job, res *result) error {
	fl := j.fl
	extra := 0
	if j.damage == damageBadLines {
		extra = 3
	}
	wk.generate(rng, j, extra)
	// Corrupt `extra` OK records at spread-out output positions.
	var bad map[int]int // output position -> corruption kind
	if extra > 0 {
		bad = map[int]int{}
		for k := range extra {
			pos := (k + 1) * len(wk.perm) / (extra + 1)
			for tries := 0; tries < len(wk.perm); tries++ {
				if _, taken := bad[pos]; !taken && wk.recs[wk.perm[pos]].st == stOK {
					bad[pos] = k
					break
				}
				pos = (pos + 1) % len(wk.perm)
			}
		}
	}
	wk.gz.Reset(&wk.out)
	b := append(wk.line[:0], fl.format...)
	b = append(b, '\n')
	for pos, i := range wk.perm {
		if k, ok := bad[pos]; ok {
			start := len(b)
			b = appendRecord(b, &wk.recs[i], fl.fields, fl.version)
			b = append(b[:start], corrupt(b[start:], k, fl.fields)...)
		} else {
			b = appendRecord(b, &wk.recs[i], fl.fields, fl.version)
		}
		if len(b) > 48<<10 {
			if _, err := wk.gz.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	wk.line = b
	if _, err := wk.gz.Write(b); err != nil {
		return err
	}
	if err := wk.gz.Close(); err != nil {
		return err
	}
	lines := len(wk.perm)
	res.file.Records, res.file.DataLines = lines-len(bad), lines
	switch {
	case j.damage == damageBadLines && len(bad) > 0:
		res.file.Damage = damageBadLines
		res.damage = &Damage{Path: j.key, Kind: damageBadLines, QuarantinedLines: len(bad),
			Detail: "bad lines: one with a missing field, one with a non-numeric bytes value, one with dstport 70000"}
	case j.damage == damageTruncated:
		return wk.truncate(j, res, len(fl.fields))
	}
	return nil
}

func (wk *worker) gzipBytes(body []byte) error {
	wk.gz.Reset(&wk.out)
	if _, err := wk.gz.Write(body); err != nil {
		return err
	}
	return wk.gz.Close()
}

// corrupt rewrites one formatted line (with its newline) into a bad line.
func corrupt(line []byte, kind int, fields []field) []byte {
	toks := bytes.Split(bytes.TrimSuffix(line, []byte("\n")), []byte(" "))
	idx := func(f field) int {
		for i, x := range fields {
			if x == f {
				return i
			}
		}
		return len(toks) - 1
	}
	switch kind {
	case 0: // wrong field count
		toks = toks[:len(toks)-1]
	case 1: // non-numeric bytes
		toks[idx(fBytes)] = []byte("12x40")
	default: // port out of range
		toks[idx(fDstPort)] = []byte("70000")
	}
	out := bytes.Join(toks, []byte(" "))
	return append(out, '\n')
}

// truncate cuts the compressed object mid-stream. The cut is chosen so
// that the readable prefix ends inside a record with too few fields to
// parse, and so that the standard library and klauspost readers agree on
// what is readable: every correct ingester then loads the same complete
// lines and quarantines exactly one partial line.
func (wk *worker) truncate(j *job, res *result, nfields int) error {
	data := wk.out.Bytes()
	orig := len(data)
	for _, dir := range []int{-1, 1} {
		for c := orig * 55 / 100; c > 32 && c < orig-16; c += dir * 7 {
			complete, tail, ok := readablePrefix(data[:c])
			if !ok || complete < 1 || len(tail) == 0 || bytes.Count(tail, []byte(" "))+2 >= nfields {
				continue
			}
			records := complete - 1 // the header line
			wk.out.Truncate(c)
			res.lost = res.file.Records - records
			res.file.Records, res.file.DataLines, res.file.Damage = records, records+1, damageTruncated
			res.damage = &Damage{Path: j.key, Kind: damageTruncated, QuarantinedLines: 1,
				Detail:        fmt.Sprintf("gzip stream cut after %d of %d bytes; %d complete records, then a partial line", c, orig, records),
				OriginalBytes: int64(orig), LostRecords: res.lost}
			return nil
		}
	}
	// A file too small to cut cleanly stays intact; the manifest then lists
	// no truncated object, so expectations stay exact.
	return nil
}

// readablePrefix decodes a truncated gzip stream with both readers and
// returns the number of complete lines and the partial tail, if they agree
// and both end in io.ErrUnexpectedEOF.
func readablePrefix(gz []byte) (int, []byte, bool) {
	decode := func(newReader func(io.Reader) (io.Reader, error)) ([]byte, bool) {
		r, err := newReader(bytes.NewReader(gz))
		if err != nil {
			return nil, false
		}
		out, err := io.ReadAll(r)
		return out, errors.Is(err, io.ErrUnexpectedEOF)
	}
	a, okA := decode(func(r io.Reader) (io.Reader, error) { return stdgzip.NewReader(r) })
	b, okB := decode(func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) })
	if !okA || !okB {
		return 0, nil, false
	}
	la, lb := bytes.LastIndexByte(a, '\n'), bytes.LastIndexByte(b, '\n')
	if la < 0 || la != lb || !bytes.Equal(a[:la], b[:lb]) {
		return 0, nil, false
	}
	ta, tb := a[la+1:], b[lb+1:]
	// The tail may differ by a few bytes between decoders; what matters is
	// that neither could pass for a whole record.
	tail := ta
	if len(tb) > len(ta) {
		tail = tb
	}
	if len(ta) == 0 || len(tb) == 0 {
		return 0, nil, false
	}
	return bytes.Count(a[:la+1], []byte("\n")), tail, true
}
