package discover

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// TestDiscoverGolden pins the mapping of every attribute from the wire to
// the inventory, and the skip reasons, against a hand-written seed.
func TestDiscoverGolden(t *testing.T) {
	seed, err := emulator.LoadSeedFile(filepath.Join("testdata", "rich-seed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, url := serve(t, emulator.Options{Seed: seed})
	opts := testOptions(url, "us-east-1", "eu-west-1")
	inv, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	inv.Endpoint = "http://emulator.test" // the port differs per run
	var got bytes.Buffer
	if err := inv.Encode(&got); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "rich.golden.json")
	testenv.Golden(t, golden, got.Bytes())
}
