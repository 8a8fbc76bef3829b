// Package emutest serves the emulator to tests of several packages: one
// way to start it for a test's lifetime, and the seeds of
// testdata/accounts, found from the module root so that every package
// reads the same files.
package emutest

import (
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// Serve serves an emulator built from opts on a loopback httptest server
// until the test ends, and returns it with its URL.
func Serve(t testing.TB, opts emulator.Options) (*emulator.Server, string) {
	t.Helper()
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("starting emulator: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts.URL
}

// Seed loads testdata/accounts/name (demo.yaml, demo-org.yaml) of the
// module.
func Seed(t testing.TB, name string) *emulator.Seed {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	seed, err := emulator.LoadSeedFile(filepath.Join(filepath.Dir(file), "..", "..", "testdata", "accounts", name))
	if err != nil {
		t.Fatal(err)
	}
	return seed
}
