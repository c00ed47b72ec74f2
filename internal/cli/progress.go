package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// barProgress shows ingest progress on a terminal: bytes with MB/s, objects and records.
type barProgress struct {
	w       io.Writer
	bar     *progressbar.ProgressBar
	total   int
	objects int
	records int64
}

func newBarProgress(w io.Writer) *barProgress { return &barProgress{w: w} }

func (p *barProgress) Start(objects int, bytes int64) {
	p.total = objects
	p.bar = progressbar.NewOptions64(bytes,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(150*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription(p.describe()),
	)
}

func (p *barProgress) describe() string {
	return fmt.Sprintf("%d/%d objects, %d records", p.objects, p.total, p.records)
}

func (p *barProgress) Advance(objects int, bytes, records int64) {
	p.objects += objects
	p.records += records
	p.bar.Describe(p.describe())
	_ = p.bar.Add64(bytes)
}

func (p *barProgress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
