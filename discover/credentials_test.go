package discover

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingCredentialsSayWhatToDo: with no credentials anywhere, discover
// names what it tried and every way to give credentials, instead of the
// SDK's "no EC2 IMDS role found"; and it fails before any request.
func TestMissingCredentialsSayWhatToDo(t *testing.T) {
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME":                                   home,
		"AWS_CONFIG_FILE":                        filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE":            filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED":              "true",
		"AWS_ACCESS_KEY_ID":                      "",
		"AWS_SECRET_ACCESS_KEY":                  "",
		"AWS_SESSION_TOKEN":                      "",
		"AWS_PROFILE":                            "",
		"AWS_ROLE_ARN":                           "",
		"AWS_WEB_IDENTITY_TOKEN_FILE":            "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     "",
	} {
		t.Setenv(k, v)
	}
	o := testOptions("http://127.0.0.1:1", "us-east-1") // nothing listens there
	o.Credentials = nil
	_, err := Run(context.Background(), o)
	if err == nil {
		t.Fatal("discover ran without credentials")
	}
	msg := err.Error()
	for _, want := range []string{"no usable AWS credentials", "tried the default chain", "--profile", "aws sso login", "AWS_ACCESS_KEY_ID", "--role-arn"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "connection refused") || strings.Contains(msg, "GetCallerIdentity") {
		t.Errorf("discover made a request before finding credentials: %s", msg)
	}
}
