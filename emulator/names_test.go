package emulator

import (
	"regexp"
	"testing"
)

// TestNameChecksMatchTheirPatterns: isRegion and isAccountID, written by
// hand because every request asks them, accept exactly what the patterns
// they replace accept.
func TestNameChecksMatchTheirPatterns(t *testing.T) {
	regionPattern := regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	for _, s := range []string{"us-east-1", "eu-west-1", "us-gov-west-1", "ap-southeast-10", "cn-north-1", "il-central-1",
		"", "us", "us-east", "us-east-", "-east-1", "us--east-1", "use-east-1", "u-east-1", "US-east-1", "us-east-1a",
		"us-east1", "us-1", "us-east-1-", "us-ea5t-1", "us-east-x", "us-east-1 ", "ab-c-0"} {
		if got, want := isRegion(s), regionPattern.MatchString(s); got != want {
			t.Errorf("isRegion(%q) = %v, want %v", s, got, want)
		}
	}
	accountPattern := regexp.MustCompile(`^[0-9]{12}$`)
	for _, s := range []string{"123456789012", "000000000000", "12345678901", "1234567890123", "12345678901a", "", "AKIDEXAMPLE0", "１23456789012"} {
		if got, want := isAccountID(s), accountPattern.MatchString(s); got != want {
			t.Errorf("isAccountID(%q) = %v, want %v", s, got, want)
		}
	}
}
