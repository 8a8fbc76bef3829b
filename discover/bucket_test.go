package discover

import (
	"container/heap"
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/smithy-go/middleware"
	"golang.org/x/time/rate"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// pacer is what the simulation drives: the bucket, or a contrast.
type pacer interface {
	tryTake(now time.Time) (ok bool, wait time.Duration, answered <-chan struct{})
	done(now time.Time)
}

// sendTimeBucket is the pacing discover had before bucket: a token taken
// when the request is sent (golang.org/x/time/rate), nothing on answer.
type sendTimeBucket struct{ l *rate.Limiter }

func (s sendTimeBucket) tryTake(now time.Time) (bool, time.Duration, <-chan struct{}) {
	r := s.l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d, nil
	}
	return true, 0, nil
}

func (sendTimeBucket) done(time.Time) {}

type simEvent struct {
	at     time.Time
	kind   int // simTry, simArrive, simAnswer
	worker int
}

const (
	simTry = iota
	simArrive
	simAnswer
)

type simQueue []simEvent

func (q simQueue) Len() int           { return len(q) }
func (q simQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q simQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)        { *q = append(*q, x.(simEvent)) }
func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// simulate sends n requests through p from `workers` concurrent callers,
// in virtual time, to a service bucket of rate r and burst b. As in a
// region's walk, one request (the first GetApis page) goes alone and the
// others start once it is answered. Each request takes a random time to
// reach the service (up to maxUp) and its answer a random time to come
// back. It returns the service's refusals and when the last answer came
// back.
func simulate(t *testing.T, p pacer, n, workers int, r float64, b int, maxUp time.Duration, seed uint64) (refused int, took time.Duration) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	service := rate.NewLimiter(rate.Limit(r), b)
	start := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	q := &simQueue{}
	heap.Push(q, simEvent{at: start, kind: simTry})
	var blocked []int
	for w := 1; w < workers; w++ {
		blocked = append(blocked, w)
	}
	sent, answered := 0, 0
	var last time.Time
	for q.Len() > 0 {
		e := heap.Pop(q).(simEvent)
		switch e.kind {
		case simTry:
			if sent == n {
				continue
			}
			ok, wait, _ := p.tryTake(e.at)
			switch {
			case ok:
				sent++
				up := time.Duration(rng.Int64N(int64(maxUp)))
				heap.Push(q, simEvent{at: e.at.Add(up), kind: simArrive, worker: e.worker})
			case wait > 0:
				heap.Push(q, simEvent{at: e.at.Add(wait), kind: simTry, worker: e.worker})
			default:
				blocked = append(blocked, e.worker)
			}
		case simArrive:
			if !service.AllowN(e.at, 1) {
				refused++
			}
			down := time.Duration(rng.Int64N(int64(20 * time.Millisecond)))
			heap.Push(q, simEvent{at: e.at.Add(down), kind: simAnswer, worker: e.worker})
		case simAnswer:
			p.done(e.at)
			answered++
			last = e.at
			heap.Push(q, simEvent{at: e.at, kind: simTry, worker: e.worker})
			for _, w := range blocked {
				heap.Push(q, simEvent{at: e.at, kind: simTry, worker: w})
			}
			blocked = blocked[:0]
		}
	}
	if answered != n {
		t.Fatalf("%d of %d requests answered", answered, n)
	}
	return refused, last.Sub(start)
}

// TestBucketNeverOverdrawsTheService: whatever the network delays, the
// service's bucket (same rate and burst, full at the start) never refuses a
// request the bucket let through, and the pacing stays within two round
// trips of the quota's own bound. The send-time bucket discover used before gets
// refusals from the same delays, which is what the bucket fixes.
func TestBucketNeverOverdrawsTheService(t *testing.T) {
	const n, r, b, workers = 300, 10.0, 40, 8
	bound := time.Duration((n - b) / r * float64(time.Second))
	for seed := range uint64(5) {
		for _, maxUp := range []time.Duration{time.Millisecond, 100 * time.Millisecond, 600 * time.Millisecond} {
			refused, took := simulate(t, newBucket(r, b), n, workers, r, b, maxUp, seed)
			if refused != 0 {
				t.Errorf("seed %d, delays up to %v: the service refused %d requests", seed, maxUp, refused)
			}
			// The first token comes back a round trip late, and the last
			// answer takes its own round trip.
			if slack := 2*(maxUp+20*time.Millisecond) + 50*time.Millisecond; took > bound+slack {
				t.Errorf("seed %d, delays up to %v: took %v, want at most the bound %v plus two round trips", seed, maxUp, took, bound)
			}
		}
	}
	old, _ := simulate(t, sendTimeBucket{rate.NewLimiter(r, b)}, n, workers, r, b, 600*time.Millisecond, 1)
	if old == 0 {
		t.Error("the send-time bucket got no refusals; the simulation no longer shows the problem")
	}
}

// TestBucketBoundsInFlightByBurst: a token held by a request in flight is
// not handed out again, so with burst 2 at most 2 requests are in flight.
func TestBucketBoundsInFlightByBurst(t *testing.T) {
	b := newBucket(1000, 2)
	now := time.Now()
	for i := range 2 {
		if ok, _, _ := b.tryTake(now); !ok {
			t.Fatalf("request %d refused with tokens left", i)
		}
	}
	ok, wait, answered := b.tryTake(now.Add(time.Hour))
	if ok || wait != 0 {
		t.Fatalf("third request: ok %v wait %v, want a wait for an answer", ok, wait)
	}
	b.done(now.Add(time.Hour))
	select {
	case <-answered:
	default:
		t.Fatal("an answer did not wake the waiters")
	}
	if ok, _, _ := b.tryTake(now.Add(2 * time.Hour)); !ok {
		t.Fatal("refused after an answer and a refill")
	}
}

// TestRunGetsNoThrottlesUnderJitter runs discover against an emulator with
// the client's own quota and a jittery network: not one 429.
func TestRunGetsNoThrottlesUnderJitter(t *testing.T) {
	if testing.Short() {
		t.Skip("paced by a quota: about a second")
	}
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 60, Stages: 1, Seed: 1, Account: testAccount})
	srv, url := serve(t, emulator.Options{Seed: seed, Rate: 50, Burst: 10,
		Faults: emulator.Faults{Latency: time.Millisecond, Jitter: 40 * time.Millisecond}, FaultSeed: 7})
	o := testOptions(url, "us-east-1")
	o.Rate, o.Burst, o.Concurrency = 50, 10, 8
	inv, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Partial() {
		t.Fatalf("errors: %v", inv.Errors)
	}
	if st := srv.Stats(); st.Throttled != 0 {
		t.Errorf("the emulator refused %d requests for the quota; ops %v", st.Throttled, st.Operations)
	}
}

// TestGateSendsNothingForAGoneCaller: with the limit off (Unlimited) too, a
// request whose caller has gone is not sent, as x/time/rate's Wait, which
// checked the context first, made sure before.
func TestGateSendsNothingForAGoneCaller(t *testing.T) {
	g := newGate(Options{Concurrency: 1, Rate: Unlimited}.withDefaults(), "us-east-1", &counters{})
	sent := false
	next := middleware.FinalizeHandlerFunc(func(context.Context, middleware.FinalizeInput) (middleware.FinalizeOutput, middleware.Metadata, error) {
		sent = true
		return middleware.FinalizeOutput{}, middleware.Metadata{}, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := g.HandleFinalize(ctx, middleware.FinalizeInput{}, next); err == nil || sent {
		t.Fatalf("err %v, sent %v: a cancelled request must fail unsent", err, sent)
	}
}
