package discover

import (
	"context"
	"math"
	"sync"
	"time"
)

// bucket paces the requests of one account and region so that a service
// token bucket of the same rate and burst, full at the start, never refuses
// one of them, however their network delays vary.
//
// A client-side bucket that takes a token when a request is sent does not
// guarantee that: the service takes the token when the request arrives,
// and once the burst is spent the client sends exactly as tokens appear, so
// a request that travels faster than the one before it (or a first request
// that was slow) arrives before the service has its token, and gets a 429.
//
// This bucket instead charges an answered request at the moment its answer
// came back, the latest moment the service can have seen it, and a request
// still in flight as if it arrived now. Every request is thereby charged no
// earlier than the service charged it, so whenever this bucket has a token
// left, the service's has one too. The cost is one round trip per run of a
// region: the refill starts when the first answer comes back, not when the
// first request leaves. And at most burst requests are in flight.
type bucket struct {
	rate  float64 // tokens per second
	burst float64

	mu       sync.Mutex
	level    float64   // tokens left after the answered requests, as of at
	at       time.Time // zero until the first request
	inflight int
	answered chan struct{} // closed and replaced when a request is answered
	turn     chan struct{} // held by the one caller waiting for a token
}

func newBucket(rate float64, burst int) *bucket {
	return &bucket{rate: rate, burst: float64(burst), level: float64(burst), answered: make(chan struct{}), turn: make(chan struct{}, 1)}
}

// refill brings level up to now. Callers hold mu.
func (b *bucket) refill(now time.Time) {
	if !b.at.IsZero() && now.After(b.at) {
		b.level = min(b.burst, b.level+b.rate*now.Sub(b.at).Seconds())
	}
	if now.After(b.at) {
		b.at = now
	}
}

// tryTake takes a token for a request sent at now. When there is none it
// returns how long refilling takes to make room, or, when only an answer
// can make room (the bucket is full and requests in flight hold every
// token), a channel closed at the next answer. An answer changes nothing
// for a caller waiting for the refill: it charges the token its request
// held, so the tokens free stay the same.
func (b *bucket) tryTake(now time.Time) (ok bool, wait time.Duration, answered <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	if b.level-float64(b.inflight) >= 1 {
		b.inflight++
		return true, 0, nil
	}
	target := min(b.burst, 1+float64(b.inflight))
	if target <= b.level {
		return false, 0, b.answered
	}
	// Rounded up: a wait rounded down to 0 would wait for an answer that
	// never comes when nothing is in flight.
	return false, time.Duration(math.Ceil((target - b.level) / b.rate * float64(time.Second))), nil
}

// done charges the token of a request taken with tryTake, answered at now
// (or failed without an answer, which charges it just the same).
func (b *bucket) done(now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	b.level--
	b.inflight--
	close(b.answered)
	b.answered = make(chan struct{})
}

// wait blocks until a token is taken or ctx ends. The caller must call
// done once the request is answered. Callers that find no token queue for
// the turn, so that only one of them at a time sleeps until the next
// token: all of them sleeping for the same token would wake all of them
// for every token.
func (b *bucket) wait(ctx context.Context) error {
	if ok, _, _ := b.tryTake(time.Now()); ok {
		return nil
	}
	select {
	case b.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-b.turn }()
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		ok, d, answered := b.tryTake(time.Now())
		if ok {
			return nil
		}
		var tick <-chan time.Time
		if d > 0 {
			if timer == nil {
				timer = time.NewTimer(d)
			} else {
				timer.Reset(d)
			}
			tick = timer.C
		}
		select {
		case <-tick:
		case <-answered:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
