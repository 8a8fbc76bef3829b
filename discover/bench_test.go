package discover

import (
	"context"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// BenchmarkDiscover measures one full discovery of 500 APIs x 4 stages
// against the in-process emulator without quota or latency: the CPU cost
// per request of the client and the emulator together. The quota-bound,
// latency-bound and memory scenarios run the real binary in
// bench/discover/run.sh.
func BenchmarkDiscover(b *testing.B) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 500, Stages: 4, Seed: 1, Account: testAccount})
	_, url := serve(b, emulator.Options{Seed: seed})
	opts := testOptions(url, "us-east-1")
	b.ReportAllocs()
	for b.Loop() {
		inv, err := Run(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(inv.APIs) == 0 || inv.Partial() {
			b.Fatalf("%d APIs, errors %v", len(inv.APIs), inv.Errors)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(500+5), "µs/request")
}
