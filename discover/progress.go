package discover

import (
	"fmt"
	"io"
	"time"
)

// progressInterval is how often the progress line is redrawn: fast enough to
// look live, slow enough to cost nothing.
const progressInterval = 250 * time.Millisecond

// startProgress redraws a one-line status on w until stop is called, which
// erases the line so that the summary starts on a clean one.
func startProgress(w io.Writer, c *counters, regions int, start time.Time, every time.Duration) (stop func()) {
	lastReq, lastAt := int64(0), start
	return startRedraw(w, every, func(now time.Time) string {
		req := c.requests.Load()
		perSec := float64(req-lastReq) / now.Sub(lastAt).Seconds()
		lastReq, lastAt = req, now
		return fmt.Sprintf("discover: regions %d/%d  apis %d/%d  requests %d (%.0f/s)  throttled %d  %s",
			c.regionsDone.Load(), regions, c.apisDone.Load(), c.apisFound.Load(),
			req, perSec, c.throttled.Load(), now.Sub(start).Round(time.Second))
	})
}

// startRedraw writes line's text on w every interval, each time over the
// last one, until stop is called, which erases it. line runs on one
// goroutine only.
func startRedraw(w io.Writer, every time.Duration, line func(now time.Time) string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case now := <-tick.C:
				fmt.Fprint(w, "\r\033[K"+line(now))
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
