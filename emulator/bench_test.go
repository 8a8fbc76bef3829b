package emulator_test

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// BenchmarkLoad20kx5 builds a 20,000-API x 5-stage account and reports the
// live heap it takes (seed plus server), the figure the 300 MB budget is
// about: go test -run '^$' -bench Load20k -benchtime 1x ./emulator/
func BenchmarkLoad20kx5(b *testing.B) {
	var seedHeap, totalHeap uint64
	for b.Loop() {
		base := liveHeap()
		seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 20000, Stages: 5, Seed: 1})
		seedHeap = liveHeap() - base
		srv, err := emulator.New(emulator.Options{Seed: seed})
		if err != nil {
			b.Fatal(err)
		}
		totalHeap = liveHeap() - base
		runtime.KeepAlive(srv)
	}
	b.ReportMetric(float64(seedHeap)/(1<<20), "MB-seed")
	b.ReportMetric(float64(totalHeap)/(1<<20), "MB-seed+server")
}

func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkGetApisPage measures serving one 100-item GetApis page of a
// 20,000-API account, over HTTP, as discovery sees it.
func BenchmarkGetApisPage(b *testing.B) {
	_, url := start(b, emulator.Options{Seed: emulator.Synthetic(emulator.SyntheticSpec{APIs: 20000, Stages: 1, Seed: 1})})
	target := url + "/v2/apis?maxResults=" + strconv.Itoa(100)
	for b.Loop() {
		if code := signedGet(b, target, "us-east-1"); code != 200 {
			b.Fatalf("status %d", code)
		}
	}
}
