package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// discoverEnv isolates the SDK from the developer's AWS setup and gives it
// static credentials for the emulator.
func discoverEnv(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "",
		"AWS_PROFILE": "", "AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_ENDPOINT_URL": "",
		"AWS_ENDPOINT_URL_APIGATEWAYV2": "", "AWS_ENDPOINT_URL_STS": "", "SOURCE_DATE_EPOCH": "",
	} {
		t.Setenv(k, v)
	}
}

// discoverSeed has n APIs with two stages in each region.
func discoverSeed(n int, regions ...string) *emulator.Seed {
	acct := emulator.AccountSeed{ID: "123456789012"}
	for _, r := range regions {
		rs := emulator.RegionSeed{Name: r}
		for i := range n {
			rs.APIs = append(rs.APIs, emulator.APISeed{
				ID: fmt.Sprintf("%s%03d", strings.ReplaceAll(r, "-", ""), i), Name: fmt.Sprintf("api-%d", i), ProtocolType: "HTTP",
				Tags:   map[string]string{"i": fmt.Sprint(i)},
				Stages: []emulator.StageSeed{{Name: "dev"}, {Name: "prod"}},
			})
		}
		acct.Regions = append(acct.Regions, rs)
	}
	return &emulator.Seed{Accounts: []emulator.AccountSeed{acct}}
}

func serveEmulator(t *testing.T, opts emulator.Options) string {
	t.Helper()
	_, url := emutest.Serve(t, opts)
	return url
}

func runCLI(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(ctx, args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDiscoverAccessDeniedRegionExitsPartial(t *testing.T) {
	discoverEnv(t)
	url := serveEmulator(t, emulator.Options{Seed: discoverSeed(3, "us-east-1", "eu-west-1", "ap-south-1"),
		Faults: emulator.Faults{DenyRegions: []string{"eu-west-1"}}})
	out := filepath.Join(t.TempDir(), "inventory.json")
	code, _, stderr := runCLI(context.Background(), "discover", "--endpoint-url", url,
		"--region", "us-east-1,eu-west-1", "--region", "ap-south-1", "--rate", "0", "-o", out)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitPartial, stderr)
	}
	inv, err := inventory.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.APIs) != 6 || len(inv.Errors) != 1 || inv.Errors[0].Region != "eu-west-1" || inv.Errors[0].Operation != "GetApis" {
		t.Errorf("%d APIs, errors %+v; want 6 APIs and one GetApis error in eu-west-1", len(inv.APIs), inv.Errors)
	}
	for _, want := range []string{"discovered 6 APIs and 12 stages in 3 regions", "eu-west-1 GetApis: AccessDeniedException", "discovery is partial: 1 call failed"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestDiscoverOutputIsReproducible writes the inventory twice with
// SOURCE_DATE_EPOCH set: the files must be byte-identical, stdout JSON must
// match them, and no temporary file may remain.
func TestDiscoverOutputIsReproducible(t *testing.T) {
	discoverEnv(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	url := serveEmulator(t, emulator.Options{Seed: discoverSeed(40, "us-east-1", "eu-west-1")})
	dir := t.TempDir()
	var files [2][]byte
	var stdout string
	for i := range files {
		p := filepath.Join(dir, fmt.Sprintf("run%d.json", i))
		code, out, stderr := runCLI(context.Background(), "discover", "--endpoint-url", url,
			"--region", "us-east-1,eu-west-1", "--rate", "0", "--page-size", "7", "-o", p, "--format", "json", "--quiet")
		if code != exitOK {
			t.Fatalf("run %d: exit %d: %s", i, code, stderr)
		}
		if stderr != "" {
			t.Errorf("--quiet run printed on stderr: %s", stderr)
		}
		var err error
		if files[i], err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
		stdout = out
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("two runs against the same account wrote different bytes")
	}
	if stdout != string(files[1]) {
		t.Error("--format json printed something other than the file's content")
	}
	if !strings.Contains(string(files[0]), `"captured_at": "2026-01-01T00:00:00Z"`) {
		t.Errorf("captured_at does not follow SOURCE_DATE_EPOCH:\n%.200s", files[0])
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d files in the output directory, want the 2 inventories (no temporary files)", len(entries))
	}
}

// TestDiscoverInterrupted cancels runs midway: without --allow-partial the
// previous output stays untouched; with it the partial inventory is written
// and the exit code is 3.
func TestDiscoverInterrupted(t *testing.T) {
	discoverEnv(t)
	url := serveEmulator(t, emulator.Options{Seed: discoverSeed(200, "us-east-1"),
		Faults: emulator.Faults{Latency: 100 * time.Millisecond}})
	out := filepath.Join(t.TempDir(), "inventory.json")
	if err := os.WriteFile(out, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	interrupted := func(extra ...string) (int, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
		defer cancel()
		args := append([]string{"discover", "--endpoint-url", url, "--region", "us-east-1", "--rate", "0", "--concurrency", "2", "--page-size", "10", "-o", out}, extra...)
		code, _, stderr := runCLI(ctx, args...)
		return code, stderr
	}

	code, stderr := interrupted()
	if code != exitError || !strings.Contains(stderr, "discovery interrupted") || !strings.Contains(stderr, "--allow-partial") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "previous" {
		t.Fatalf("an interrupted run replaced the output: %.100s", b)
	}

	code, stderr = interrupted("--allow-partial")
	if code != exitPartial {
		t.Fatalf("--allow-partial: exit %d, stderr %s", code, stderr)
	}
	inv, err := inventory.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !inv.Partial() || inv.Errors[0].Operation != "discover" {
		t.Errorf("partial inventory errors = %+v", inv.Errors)
	}
}

func TestDiscoverFlagErrors(t *testing.T) {
	discoverEnv(t)
	cases := []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"--tag", "novalue"}, "", `--tag "novalue" must be key=value`},
		{[]string{"--include", "("}, "", `--include "(" is not a valid regular expression`},
		{[]string{"--exclude", "[a"}, "", `--exclude "[a"`},
		{[]string{"--concurrency", "0"}, "", "--concurrency 0 must be at least 1"},
		{[]string{"--burst", "0"}, "", "--burst 0"},
		{[]string{"--page-size", "0"}, "", "--page-size 0"},
		{[]string{"--page-size", "501"}, "", "--page-size 501"},
		{[]string{"--rate", "-1"}, "", "--rate -1"},
		{[]string{"--log-level", "loud"}, "", `--log-level "loud"`},
		{[]string{"--log-format", "xml"}, "", `--log-format "xml"`},
		{[]string{"--protocol", "rest"}, "", `--protocol "rest"`},
		{[]string{"--region", "us-east-1,moon-1"}, "", `--region "moon-1"`},
		{[]string{"--region", "all,us-east-1"}, "", "--region all cannot be combined"},
		{[]string{"--endpoint-url", "localhost"}, "", "--endpoint-url"},
		{[]string{"--format", "yaml", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:1"}, "", `--format "yaml"`},
		{nil, "yesterday", `SOURCE_DATE_EPOCH="yesterday"`},
	}
	for _, tc := range cases {
		t.Setenv("SOURCE_DATE_EPOCH", tc.env)
		code, _, stderr := runCLI(context.Background(), append([]string{"discover"}, tc.args...)...)
		if code != exitError || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and one line containing %q", tc.args, code, stderr, tc.want)
		}
	}
}

func TestDiscoverFlagsToOptions(t *testing.T) {
	discoverEnv(t)
	t.Setenv("SOURCE_DATE_EPOCH", "86400")
	df := newDiscoverFlags(streams{err: &bytes.Buffer{}})
	fs := pflag.NewFlagSet("discover", pflag.ContinueOnError)
	df.register(fs)
	if err := fs.Parse([]string{"--region", "us-east-1,eu-west-1", "--region", "ap-south-1", "--rate", "0",
		"--tag", "team=a", "--tag", "env=b=c", "--api-id", "x,y", "--protocol", "WebSocket", "--include", "^a", "--exclude", "b$"}); err != nil {
		t.Fatal(err)
	}
	o, err := df.options()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.Regions, ",") != "us-east-1,eu-west-1,ap-south-1" || o.Rate != discover.Unlimited ||
		o.Tags["team"] != "a" || o.Tags["env"] != "b=c" || strings.Join(o.APIIDs, ",") != "x,y" ||
		o.Protocol != "WebSocket" || len(o.Include) != 1 || len(o.Exclude) != 1 || !o.CapturedAt.Equal(time.Unix(86400, 0)) {
		t.Errorf("options = %+v", o)
	}
	if o.Progress != nil {
		t.Error("progress enabled on a non-terminal")
	}
}

// writeFile writes text to name under dir and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// emulatorProfile points the SDK at a shared config with profile "emu",
// which holds the emulator's static credentials.
func emulatorProfile(t *testing.T) {
	t.Helper()
	discoverEnv(t)
	p := writeFile(t, t.TempDir(), "config", "[profile emu]\naws_access_key_id = AKIDTEST\naws_secret_access_key = secret\nregion = us-east-1\n")
	t.Setenv("AWS_CONFIG_FILE", p)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
}

func inventoryRegions(t *testing.T, stdout string) []string {
	t.Helper()
	inv, err := inventory.Decode(strings.NewReader(stdout), "stdout")
	if err != nil {
		t.Fatalf("decoding the inventory: %v\n%.300s", err, stdout)
	}
	var out []string
	for _, a := range inv.APIs {
		out = append(out, a.Region+"/"+a.Name)
	}
	return out
}

// TestDiscoverConfigFile takes account, regions, filters, endpoint and
// rate from the file, and lets the command line override them.
func TestDiscoverConfigFile(t *testing.T) {
	emulatorProfile(t)
	url := serveEmulator(t, emulator.Options{Seed: discoverSeed(3, "us-east-1", "eu-west-1")})
	dir := t.TempDir()
	cfg := writeFile(t, dir, "apigw2tf.yaml", `version: 1
accounts:
  - {name: one, profile: emu, regions: [eu-west-1]}
  - {name: both, profile: emu, regions: [us-east-1, eu-west-1]}
filters:
  include: ["^api-1$"]
rate: 0
endpoint_url: `+url+"\n")
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--account", "both"}, "[eu-west-1/api-1 us-east-1/api-1]"},
		{[]string{"--account", "one"}, "[eu-west-1/api-1]"},
		{[]string{"--account", "both", "--region", "us-east-1"}, "[us-east-1/api-1]"},
		{[]string{"--account", "one", "--include", "^api-2$"}, "[eu-west-1/api-2]"},
	} {
		args := append([]string{"-c", cfg, "discover", "--format", "json", "-q"}, tc.args...)
		code, stdout, stderr := runCLI(ctx, args...)
		if code != exitOK {
			t.Errorf("%v: exit %d: %s", tc.args, code, stderr)
			continue
		}
		if got := fmt.Sprint(inventoryRegions(t, stdout)); got != tc.want {
			t.Errorf("%v: discovered %s, want %s", tc.args, got, tc.want)
		}
	}

	// Without --account, discover runs every account of the file.
	code, stdout, stderr := runCLI(ctx, "discover", "-c", cfg, "-q")
	if code != exitOK || !strings.Contains(stdout, "one      eu-west-1") || !strings.Contains(stdout, "both     us-east-1") {
		t.Errorf("two accounts without --account: exit %d, stdout:\n%s\nstderr: %s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(ctx, "discover", "-c", cfg, "--account", "three", "-q"); code != exitError ||
		!strings.Contains(stderr, `--account "three" is not in `+cfg) {
		t.Errorf("unknown account: exit %d, %s", code, stderr)
	}
	// Without a file, --account has nothing to pick from (the test's
	// working directory has no apigw2tf.yaml).
	if code, _, stderr := runCLI(ctx, "discover", "--account", "one", "-q"); code != exitError ||
		!strings.Contains(stderr, "--account needs a configuration file") {
		t.Errorf("--account without a file: exit %d, %s", code, stderr)
	}

	bad := writeFile(t, dir, "bad.yaml", "version: 1\nburts: 3\nrate: fast\n")
	code, stdout, stderr = runCLI(ctx, "discover", "-c", bad)
	want := bad + ":2:1: unknown key \"burts\"; did you mean \"burst\"?\n" + bad + ":3:7: "
	if code != exitError || stdout != "" || !strings.HasPrefix(stderr, want) ||
		!strings.HasSuffix(stderr, "apigw2tf: configuration file "+bad+" has 2 problems; fix it or pass another with --config\n") {
		t.Errorf("bad file: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
}

// TestDiscoverAssumesRoleFromConfig runs an account whose role_arn must be
// assumed: STS answers AssumeRole in front of the emulator, and every other
// request must be signed with the role's credentials.
func TestDiscoverAssumesRoleFromConfig(t *testing.T) {
	emulatorProfile(t)
	srv, err := emulator.New(emulator.Options{Seed: discoverSeed(2, "us-east-1")})
	if err != nil {
		t.Fatal(err)
	}
	const roleARN = "arn:aws:iam::123456789012:role/apigw2tf-read"
	var assumed, asRole, other atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if form, _ := url.ParseQuery(string(body)); form.Get("Action") == "AssumeRole" {
			if form.Get("RoleArn") != roleARN || !strings.Contains(r.Header.Get("Authorization"), "Credential=AKIDTEST/") {
				http.Error(w, "unexpected AssumeRole: "+string(body), http.StatusBadRequest)
				return
			}
			assumed.Add(1)
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>`+
				`<Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>`+
				`<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>`+
				`<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/apigw2tf-read/apigw2tf</Arn><AssumedRoleId>AROA1:apigw2tf</AssumedRoleId></AssumedRoleUser>`+
				`</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`)
			return
		}
		if strings.Contains(r.Header.Get("Authorization"), "Credential=ASIAROLE/") {
			asRole.Add(1)
		} else {
			other.Add(1)
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	cfg := writeFile(t, t.TempDir(), "apigw2tf.yaml", "version: 1\naccounts:\n  - {profile: emu, role_arn: "+roleARN+", regions: [us-east-1]}\nrate: 0\nendpoint_url: "+hs.URL+"\n")

	code, stdout, stderr := runCLI(context.Background(), "discover", "-c", cfg, "--format", "json", "-q")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := len(inventoryRegions(t, stdout)); got != 2 {
		t.Errorf("discovered %d APIs, want 2", got)
	}
	if assumed.Load() != 1 || asRole.Load() == 0 || other.Load() != 0 {
		t.Errorf("AssumeRole called %d times (want 1); %d requests with the role's credentials, %d without (want 0)", assumed.Load(), asRole.Load(), other.Load())
	}

	if code, _, stderr := runCLI(context.Background(), "discover", "--role-arn", "read-role", "--region", "us-east-1"); code != exitError ||
		!strings.Contains(stderr, `--role-arn "read-role" is not an ARN`) {
		t.Errorf("bad --role-arn: exit %d, %s", code, stderr)
	}
}
