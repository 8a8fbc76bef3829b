package regions

import (
	"slices"
	"testing"
)

func TestCommercialSortedAndUnique(t *testing.T) {
	c := Commercial()
	if !slices.IsSorted(c) {
		t.Fatalf("commercial regions are not sorted (Valid relies on it): %v", c)
	}
	if len(slices.Compact(slices.Clone(c))) != len(c) {
		t.Fatalf("commercial regions have duplicates: %v", c)
	}
	c[0] = "mutated"
	if Commercial()[0] == "mutated" {
		t.Fatal("Commercial returned its internal slice")
	}
}

func TestValid(t *testing.T) {
	for _, name := range []string{"us-east-1", "af-south-1", "us-west-2", "eu-central-2", "cn-north-1", "us-gov-west-1"} {
		if !Valid(name) {
			t.Errorf("Valid(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"", "all", "us-east", "us-east-9", "US-EAST-1", "us-est-1", " us-east-1"} {
		if Valid(name) {
			t.Errorf("Valid(%q) = true, want false", name)
		}
	}
}

func TestKnownCoversValid(t *testing.T) {
	k := Known()
	if !slices.IsSorted(k) {
		t.Fatal("Known is not sorted")
	}
	for _, name := range k {
		if !Valid(name) {
			t.Errorf("Known lists %q but Valid rejects it", name)
		}
	}
	if len(k) != len(Commercial())+len(other) {
		t.Errorf("Known has %d names, want %d", len(k), len(Commercial())+len(other))
	}
}
