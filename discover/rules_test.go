package discover

import "testing"

// TestValidRoleARN: one rule for --role-arn and accounts[].role_arn, on
// arn.Parse, in every partition (issue 12: the file had a regex that knew
// three partitions, the flag took any ARN).
func TestValidRoleARN(t *testing.T) {
	for s, want := range map[string]bool{
		"arn:aws:iam::123456789012:role/read":         true,
		"arn:aws-cn:iam::123456789012:role/path/read": true,
		"arn:aws-us-gov:iam::123456789012:role/read":  true,
		"arn:aws-iso:iam::123456789012:role/read":     true,
		"arn:aws:iam::123456789012:user/read":         false,
		"arn:aws:iam::123456789012:role/":             false,
		"arn:aws:s3:::123456789012":                   false,
		"arn:aws:iam::12345:role/read":                false,
		"arn:aws:iam::12345678901x:role/read":         false,
		"read-role":                                   false,
		"":                                            false,
	} {
		if got := ValidRoleARN(s); got != want {
			t.Errorf("ValidRoleARN(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestValidEndpointURL(t *testing.T) {
	for s, want := range map[string]bool{
		"http://127.0.0.1:4566": true, "https://apigateway.example": true,
		"ftp://x": false, "127.0.0.1:4566": false, "http://": false, "": false,
	} {
		if got := ValidEndpointURL(s); got != want {
			t.Errorf("ValidEndpointURL(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestCheckConcurrency: one rule for --concurrency, the file's concurrency
// and Options (issue 12: it was written in the CLI, the file and
// Validate). Options alone keep zero for the default.
func TestCheckConcurrency(t *testing.T) {
	for n, want := range map[int]string{1: "", 32: "", 0: "0 must be at least 1", -3: "-3 must be at least 1"} {
		got := ""
		if err := CheckConcurrency(n); err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("CheckConcurrency(%d) = %q, want %q", n, got, want)
		}
	}
	if err := (Options{Concurrency: -1}).Validate(); err == nil || err.Error() != "--concurrency -1 must be at least 1" {
		t.Errorf("Validate with -1: %v", err)
	}
	if err := (Options{}).Validate(); err != nil {
		t.Errorf("Validate with the default: %v", err)
	}
}
