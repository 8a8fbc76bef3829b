package inventory

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func sampleAccounts() *Accounts {
	other := sample()
	other.Account = "210987654321"
	return &Accounts{
		CapturedAt:   sample().CapturedAt,
		Organization: "o-abcdefghij",
		Accounts: []Account{
			{Name: "prod", ID: "210987654321", RoleARN: "arn:aws:iam::210987654321:role/r", Inventory: other},
			{Name: "denied", ID: "333333333333", RoleARN: "arn:aws:iam::333333333333:role/r", Error: "assuming …: AccessDenied: no"},
			{Name: "mgmt", ID: "123456789012", Inventory: sample()},
		},
		Skipped: []SkippedAccount{{ID: "444444444444", Name: "old", Status: "SUSPENDED", Reason: "not ACTIVE"}},
	}
}

func TestAccountsRoundTripStreamsLikeMarshalIndent(t *testing.T) {
	all := sampleAccounts()
	first, back := roundTrip(t, all, ReadAccountsFile)
	want, _ := json.MarshalIndent(all, "", "  ")
	if !bytes.Equal(bytes.TrimSpace(first), want) {
		t.Fatalf("streamed encoding differs from MarshalIndent:\n%s\n---\n%s", first, want)
	}
	if back.Accounts[0].Name != "denied" || !back.Partial() || len(back.Failed()) != 1 {
		t.Errorf("accounts not sorted by name or failure lost: %+v", back.Accounts)
	}
}

// TestAccountsReadsV1: a one-account inventory written before several
// accounts existed reads as a document with that account.
func TestAccountsReadsV1(t *testing.T) {
	p := filepath.Join(t.TempDir(), "inventory.json")
	if err := sample().WriteFile(p); err != nil {
		t.Fatal(err)
	}
	all, err := ReadAccountsFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Accounts) != 1 || all.Accounts[0].ID != "123456789012" || all.Accounts[0].Inventory == nil || len(all.Accounts[0].Inventory.APIs) != 2 {
		t.Fatalf("v1 read as %+v", all)
	}
	if _, err := ReadFile(p); err != nil {
		t.Fatalf("v1 no longer reads as v1: %v", err)
	}
}

func TestAccountsDecodeErrors(t *testing.T) {
	dup := sampleAccounts()
	dup.Accounts[1] = dup.Accounts[0]
	both := sampleAccounts()
	both.Accounts[1].Inventory = sample()
	for name, tc := range map[string]struct {
		all  *Accounts
		want string
	}{
		"duplicate account":   {dup, "is listed twice"},
		"inventory and error": {both, "either an inventory or an error"},
	} {
		var b bytes.Buffer
		if err := tc.all.Encode(&b); err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeAccounts(&b, "x.json"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	if _, err := DecodeAccounts(strings.NewReader(`{"schema":"apigw2tf.inventory/v9"}`), "x.json"); err == nil || !strings.Contains(err.Error(), `want "apigw2tf.inventory/v1" or "apigw2tf.inventory/v2"`) {
		t.Errorf("unknown schema: %v", err)
	}
}
