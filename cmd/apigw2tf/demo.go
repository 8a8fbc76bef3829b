package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/spf13/cobra"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// demoMarker marks a directory the demo made, so a re-run may delete it and
// nothing else.
const demoMarker = ".apigw2tf-demo"

// Credentials for the in-process emulator, which ignores the key itself.
const (
	demoAccessKey = "AKIDAPIGW2TFDEMO"
	demoSecretKey = "apigw2tf-demo-secret"
)

type demoOptions struct {
	dir, seed, toolsDir, bin, listen string
	serve                            bool
}

func (o *demoOptions) Validate() error {
	if _, err := os.Stat(o.seed); err != nil {
		return fmt.Errorf("--seed %s: %w; run the demo from the repository root or name a seed file", o.seed, err)
	}
	if _, _, err := net.SplitHostPort(o.listen); err != nil {
		return fmt.Errorf("--listen %q: want HOST:PORT, e.g. 127.0.0.1:4566: %w", o.listen, err)
	}
	if _, err := os.Stat(o.dir); err == nil {
		if _, err := os.Stat(filepath.Join(o.dir, demoMarker)); err != nil {
			return fmt.Errorf("--dir %s exists and was not made by the demo; remove it or pick another --dir", o.dir)
		}
	}
	return nil
}

func newDemoCmd(s streams, lf *logFlags) *cobra.Command {
	o := demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Adopt and audit the built-in demo account, end to end, against a local emulator",
		Long: `demo runs the whole job against an in-process API Gateway V2 emulator seeded with
a small company's account (testdata/accounts/demo.yaml): discover, generate,
verify, apply the imports, make four console-style changes, audit. It prints
the commands you would type against AWS and leaves everything in --dir,
including report.html, report.md and report.json. Each run starts clean and
ends in the same state.

The emulator listens on a fixed address (--listen), because providers.tf
points at it. It stops with the demo unless --serve keeps it up, with the
demo's state, until Ctrl-C, so that the directory can be planned and audited
by hand; the demo prints the commands.

It needs an engine and the stand-in hashicorp/aws provider from ` + "`make demo-tools`" + `;
` + "`make demo`" + ` builds them first.`,
		Example: `  make demo
  apigw2tf demo --serve
  apigw2tf demo --dir /tmp/apigw2tf-demo --terraform-bin .tools/bin/terraform`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			return runDemo(cmd.Context(), s, o, lf.level)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.dir, "dir", "apigw2tf-demo", "directory the demo writes (replaced on every run)")
	f.StringVar(&o.seed, "seed", filepath.Join("testdata", "accounts", "demo.yaml"), "emulator seed file with the demo account")
	f.StringVar(&o.toolsDir, "tools-dir", ".tools", "where make tools put the engines, the provider mirror and its CLI config")
	f.StringVar(&o.bin, "terraform-bin", "", "engine; default <tools-dir>/bin/tofu, else as for verify")
	f.StringVar(&o.listen, "listen", "127.0.0.1:4566", "address of the demo's emulator, written into providers.tf; 127.0.0.1:0 picks a free port")
	f.BoolVar(&o.serve, "serve", false, "keep the emulator up with the demo's state after the demo, until Ctrl-C, to plan and audit the directory by hand")
	return cmd
}

// demo narrates the steps and runs each through the same command tree a user
// runs, so the demo cannot drift from the product.
type demo struct {
	s        streams
	step     int
	steps    int
	logLevel string // passed on to every command the demo runs
}

func (d *demo) say(title string, lines ...string) {
	d.step++
	fmt.Fprintf(d.s.out, "\n[%d/%d] %s\n", d.step, d.steps, title)
	for _, l := range lines {
		fmt.Fprintf(d.s.out, "      %s\n", l)
	}
}

// cli runs one apigw2tf command in-process; shown is what a user types
// against AWS, extra what the demo adds to reach the emulator.
func (d *demo) cli(ctx context.Context, shown []string, extra ...string) int {
	fmt.Fprintf(d.s.out, "  $ apigw2tf %s\n", strings.Join(shown, " "))
	args := append(append(append([]string{}, shown...), extra...), "--log-level", d.logLevel)
	return run(ctx, args, d.s.in, indent(d.s.out), indent(d.s.err))
}

func runDemo(ctx context.Context, s streams, o demoOptions, logLevel string) error {
	start := time.Now()
	d := &demo{s: s, steps: 8, logLevel: logLevel}
	bin, err := demoEngine(o)
	if err != nil {
		return err
	}
	rc, err := filepath.Abs(filepath.Join(o.toolsDir, "terraformrc"))
	if err != nil {
		return err
	}
	if _, err := os.Stat(rc); err != nil {
		return fmt.Errorf("the stand-in provider's CLI config %s is missing: run `make demo-tools` first (or `make demo`)", rc)
	}
	if err := resetDemoDir(o.dir); err != nil {
		return err
	}

	seed, err := emulator.LoadSeedFile(o.seed)
	if err != nil {
		return err
	}
	srv, err := emulator.New(emulator.Options{Seed: seed})
	if err != nil {
		return fmt.Errorf("starting the emulator: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	addrc := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe(ctx, o.listen, func(a string) { addrc <- a }) }()
	var url string
	select {
	case a := <-addrc:
		url = "http://" + a
	case err := <-served:
		return fmt.Errorf("starting the demo's emulator: %w; stop what listens there or pass --listen 127.0.0.1:0", err)
	}
	defer func() {
		cancel()
		<-served
	}()
	if err := demoEnv(rc); err != nil {
		return err
	}
	d.say("An API Gateway V2 control plane is running at "+url,
		"seeded from "+o.seed+": HTTP and WebSocket APIs in us-east-1 and eu-west-1,",
		"one of them quick-created. Against AWS you skip this step.")

	regions := "us-east-1,eu-west-1"
	inv := filepath.Join(o.dir, "inventory.json")
	endpoint := []string{"--endpoint-url", url}
	d.say("Discover every API with its stages, authorizers, integrations and routes, both regions at once")
	if code := d.cli(ctx, []string{"discover", "--region", regions, "-o", inv}, endpoint...); code != exitOK {
		return withCode(exitError, fmt.Errorf("demo: discover exited %d", code))
	}

	d.say("Generate import blocks and minimal HCL",
		"providers.tf carries the emulator endpoint because discovery used one; against AWS it does not.")
	if code := d.cli(ctx, []string{"generate", "--inventory", inv, "--dir", o.dir}); code != exitOK {
		return withCode(exitError, fmt.Errorf("demo: generate exited %d", code))
	}

	engineName := engine.Identify(ctx, bin)
	binFlag := []string{"--terraform-bin", bin}
	d.say("Verify with " + engineName + ": the plan must only import, with zero changes")
	if code := d.cli(ctx, []string{"verify", "--dir", o.dir}, binFlag...); code != exitOK {
		return withCode(exitError, fmt.Errorf("demo: verify exited %d; the generated configuration would change something", code))
	}

	d.say("Apply the imports: state now manages the APIs, nothing in AWS changes")
	fmt.Fprintf(s.out, "  $ %s -chdir=%s apply\n", engineName, o.dir)
	r, err := engine.Open(ctx, o.dir, bin)
	if err != nil {
		return err
	}
	if log, err := (&logFlags{level: logLevel, format: "text"}).logger(indent(s.err)); err == nil {
		logEngineCommands(r, log)
	}
	if err := r.TF.Apply(ctx); err != nil {
		return fmt.Errorf("demo: %s apply in %s: %w", engineName, o.dir, err)
	}

	d.say("Someone changes things in the console")
	if err := consoleChanges(ctx, s.out, url, inv); err != nil {
		return err
	}

	d.say("Audit: refresh-only plan plus a fresh discovery; read-only")
	code := d.cli(ctx, []string{"audit", "--dir", o.dir, "--region", regions, "--format", "text,json,markdown,html", "--out-dir", o.dir},
		append(endpoint, binFlag...)...)
	if code != exitOK && code != exitDrift {
		return withCode(exitError, fmt.Errorf("demo: audit exited %d", code))
	}

	d.say("Reports",
		filepath.Join(o.dir, "report.html")+"  open it in a browser",
		filepath.Join(o.dir, "report.md")+"    for a pull-request comment",
		filepath.Join(o.dir, "report.json")+"  for CI and next night's --baseline",
		fmt.Sprintf("audit exited %d (2 = drift found). Demo finished in %s.", code, time.Since(start).Round(100*time.Millisecond)))
	if !o.serve {
		fmt.Fprintf(s.out, "\nThe emulator stopped with the demo, so %s cannot be planned now. To explore it,\n"+
			"run `apigw2tf demo --serve`: the same demo ends in the same state and keeps the emulator up at %s.\n", o.dir, url)
		return nil
	}
	fmt.Fprintf(s.out, "\nThe emulator keeps serving the demo's state at %s until you press Ctrl-C.\n", url)
	fmt.Fprintf(s.out, "In another terminal, from this directory:\n")
	for _, l := range serveCommands(o.dir, bin, rc, url, regions) {
		fmt.Fprintf(s.out, "  %s\n", l)
	}
	<-ctx.Done()
	return nil
}

// serveCommands are the commands a user runs against the emulator --serve
// keeps up: the environment the demo gave its engines, a plan, an audit.
func serveCommands(dir, bin, rc, url, regions string) []string {
	return []string{
		fmt.Sprintf("export TF_CLI_CONFIG_FILE=%s AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_EC2_METADATA_DISABLED=true", rc, demoAccessKey, demoSecretKey),
		fmt.Sprintf("%s -chdir=%s plan", bin, dir),
		fmt.Sprintf("apigw2tf audit --dir %s --region %s --endpoint-url %s --terraform-bin %s", dir, regions, url, bin),
	}
}

// demoEngine picks the engine make tools built, else the usual search.
func demoEngine(o demoOptions) (string, error) {
	if o.bin != "" {
		return engine.Find(o.bin)
	}
	tofu := filepath.Join(o.toolsDir, "bin", "tofu")
	if _, err := os.Stat(tofu); err == nil {
		return filepath.Abs(tofu)
	}
	bin, err := engine.Find("")
	if err != nil {
		return "", fmt.Errorf("%w; or run `make demo-tools`", err)
	}
	return bin, nil
}

// demoEnv points engines and the SDK at the demo's own provider mirror
// (cliConfig, absolute) and dummy credentials, so a developer's AWS profile
// or CLI config never leaks into the demo (child engine processes inherit
// this environment).
func demoEnv(cliConfig string) error {
	set := map[string]string{
		"TF_CLI_CONFIG_FILE":          cliConfig,
		"AWS_ACCESS_KEY_ID":           demoAccessKey,
		"AWS_SECRET_ACCESS_KEY":       demoSecretKey,
		"AWS_REGION":                  "us-east-1",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"CHECKPOINT_DISABLE":          "1",
	}
	for k, v := range set {
		if err := os.Setenv(k, v); err != nil {
			return fmt.Errorf("setting %s: %w", k, err)
		}
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_APIGATEWAYV2", "AWS_ENDPOINT_URL_STS"} {
		if err := os.Unsetenv(k); err != nil {
			return fmt.Errorf("unsetting %s: %w", k, err)
		}
	}
	return nil
}

// resetDemoDir gives every run a clean directory; Validate has made sure an
// existing one is the demo's own.
func resetDemoDir(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("clearing %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("made by apigw2tf demo; deleted by its next run\n"), 0o644)
}

// consoleChanges makes four changes the audit must find: a changed stage
// attribute, a deleted stage, an API nobody manages, and an integration
// pointed at another Lambda function.
func consoleChanges(ctx context.Context, out io.Writer, url, invPath string) error {
	inv, err := inventory.ReadFile(invPath)
	if err != nil {
		return err
	}
	var target *inventory.API
	for i := range inv.APIs {
		if len(inv.APIs[i].Stages) >= 2 {
			target = &inv.APIs[i]
			break
		}
	}
	if target == nil {
		return errors.New("demo: the seed has no API with two importable stages to change")
	}
	c := apigatewayv2.New(apigatewayv2.Options{
		Region:       target.Region,
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider(demoAccessKey, demoSecretKey, ""),
	})
	changed, deleted := target.Stages[0].Name, target.Stages[1].Name
	desc := "hotfix: raised limits during an incident"
	fmt.Fprintf(out, "  $ aws apigatewayv2 update-stage --region %s --api-id %s --stage-name %s --description %q\n", target.Region, target.ID, changed, desc)
	if _, err := c.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: &target.ID, StageName: &changed, Description: &desc}); err != nil {
		return fmt.Errorf("demo: updating stage %s of api %s: %w", changed, target.ID, err)
	}
	fmt.Fprintf(out, "  $ aws apigatewayv2 delete-stage --region %s --api-id %s --stage-name %s\n", target.Region, target.ID, deleted)
	if _, err := c.DeleteStage(ctx, &apigatewayv2.DeleteStageInput{ApiId: &target.ID, StageName: &deleted}); err != nil {
		return fmt.Errorf("demo: deleting stage %s of api %s: %w", deleted, target.ID, err)
	}
	name := "shadow-reports"
	fmt.Fprintf(out, "  $ aws apigatewayv2 create-api --region %s --name %s --protocol-type HTTP\n", target.Region, name)
	if _, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: &name, ProtocolType: "HTTP"}); err != nil {
		return fmt.Errorf("demo: creating api %s: %w", name, err)
	}
	return repointIntegration(ctx, out, url, inv)
}

// repointIntegration points the first Lambda integration at a canary
// function, the change that breaks production most often.
func repointIntegration(ctx context.Context, out io.Writer, url string, inv *inventory.Inventory) error {
	for _, a := range inv.APIs {
		for _, x := range a.Integrations {
			// A function ARN, not the invocation path WebSocket APIs use.
			if fn, err := arn.Parse(x.IntegrationURI); err != nil || fn.Service != "lambda" || x.IntegrationType != "AWS_PROXY" {
				continue
			}
			c := apigatewayv2.New(apigatewayv2.Options{
				Region:       a.Region,
				BaseEndpoint: aws.String(url),
				Credentials:  credentials.NewStaticCredentialsProvider(demoAccessKey, demoSecretKey, ""),
			})
			uri := x.IntegrationURI + "-canary"
			fmt.Fprintf(out, "  $ aws apigatewayv2 update-integration --region %s --api-id %s --integration-id %s --integration-uri %s\n", a.Region, a.ID, x.ID, uri)
			if _, err := c.UpdateIntegration(ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: &a.ID, IntegrationId: &x.ID, IntegrationUri: &uri}); err != nil {
				return fmt.Errorf("demo: updating integration %s of api %s: %w", x.ID, a.ID, err)
			}
			return nil
		}
	}
	return errors.New("demo: the seed has no Lambda integration to change")
}

// indent prefixes each line a sub-command prints, so the narration stands out.
func indent(w io.Writer) io.Writer { return &indentWriter{w: w, bol: true} }

type indentWriter struct {
	w   io.Writer
	bol bool
}

func (iw *indentWriter) Write(p []byte) (int, error) {
	var b strings.Builder
	for _, c := range string(p) {
		if iw.bol {
			b.WriteString("    ")
		}
		b.WriteRune(c)
		iw.bol = c == '\n'
	}
	if _, err := io.WriteString(iw.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}
