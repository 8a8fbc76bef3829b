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
