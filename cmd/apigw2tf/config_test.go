package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(good, []byte("version: 1\naccounts:\n  - profile: p\n    regions: [us-east-1]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("version: 1\nburts: 3\naccounts:\n  - profile: p\n    regions: [us-est-1]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		args        []string
		code        int
		out, errOut string
	}{
		{"valid", []string{"config", "validate", "-c", good}, exitOK, good + ": valid\n", ""},
		{"every problem", []string{"config", "validate", "--config", bad}, exitError,
			bad + ":2:1: unknown key \"burts\"; did you mean \"burst\"?\n" +
				bad + ":5:15: accounts[0].regions: \"us-est-1\" is not an AWS region; did you mean \"us-east-1\"?\n",
			"apigw2tf: " + bad + ": 2 problems\n"},
		{"missing file", []string{"config", "validate", "-c", filepath.Join(dir, "nope.yaml")}, exitError,
			filepath.Join(dir, "nope.yaml") + ": cannot read the configuration file: no such file or directory\n",
			"apigw2tf: " + filepath.Join(dir, "nope.yaml") + ": 1 problem\n"},
		{"no arguments", []string{"config", "validate", "extra"}, exitError, "", "apigw2tf: unknown command \"extra\" for \"apigw2tf config validate\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(""), &out, &errOut)
			if code != tc.code || out.String() != tc.out || errOut.String() != tc.errOut {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr %q",
					code, out.String(), errOut.String(), tc.code, tc.out, tc.errOut)
			}
		})
	}
}

func TestConfigValidateDefaultFile(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("apigw2tf.yaml", []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"config", "validate"}, strings.NewReader(""), &out, &errOut); code != exitOK || out.String() != "apigw2tf.yaml: valid\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}
