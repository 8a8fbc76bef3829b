package discover

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
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
	// tokens holds the level: x/time/rate's arithmetic, charged by done at
	// the answer rather than by the caller at the send.
	tokens *rate.Limiter
	rate   float64
	burst  float64

	mu       sync.Mutex
	inflight int
	charged  time.Time     // the latest answer charged
	answered chan struct{} // closed and replaced when a request is answered
	turn     chan struct{} // held by the one caller waiting for a token
}

func newBucket(r float64, burst int) *bucket {
	return &bucket{tokens: rate.NewLimiter(rate.Limit(r), burst), rate: r, burst: float64(burst),
		answered: make(chan struct{}), turn: make(chan struct{}, 1)}
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
	level := b.tokens.TokensAt(now)
	if level-float64(b.inflight) >= 1 {
		b.inflight++
		return true, 0, nil
	}
	target := min(b.burst, 1+float64(b.inflight))
	if target <= level {
		return false, 0, b.answered
	}
	// Rounded up: a wait rounded down to 0 would wait for an answer that
	// never comes when nothing is in flight.
	return false, time.Duration(math.Ceil((target - level) / b.rate * float64(time.Second))), nil
}

// done charges the token of a request taken with tryTake, answered at now
// (or failed without an answer, which charges it just the same).
func (b *bucket) done(now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// Answers taken out of order must not move the limiter's clock back: it
	// would refill the same interval twice.
	if now.Before(b.charged) {
		now = b.charged
	}
	b.charged = now
	// A reservation of one token never fails (burst >= 1) and may leave the
	// level below zero, which is the debt the service's bucket carries too.
	b.tokens.ReserveN(now, 1)
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
