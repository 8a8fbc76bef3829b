package emulator_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// TestIDsComeFromTheSeedOnly: one seed serves the same ids (deployments,
// routes) whatever the fault seed, so a --synthetic account is the same
// account under any faults (issue 12: the fault seed drew them).
func TestIDsComeFromTheSeedOnly(t *testing.T) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 12, Stages: 3, Seed: 5})
	dump := func(faultSeed int64) string {
		_, url := start(t, emulator.Options{Seed: seed, FaultSeed: faultSeed})
		var doc struct {
			Items []struct {
				APIID string `json:"apiId"`
			} `json:"items"`
		}
		apis := rawGet(t, url+"/v2/apis?maxResults=500", "us-east-1")
		if err := json.Unmarshal(apis, &doc); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.Write(apis)
		for _, a := range doc.Items {
			b.Write(rawGet(t, url+"/v2/apis/"+a.APIID+"/stages", "us-east-1"))
			b.Write(rawGet(t, url+"/v2/apis/"+a.APIID+"/routes", "us-east-1"))
		}
		return b.String()
	}
	plain := dump(0)
	if !strings.Contains(plain, `"deploymentId"`) {
		t.Fatal("the seed has no deployment ids; the test proves nothing")
	}
	for _, fs := range []int64{1, 7} {
		if got := dump(fs); got != plain {
			t.Errorf("fault seed %d changed the seeded account's ids", fs)
		}
	}
}
