package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"time"

	"github.com/spf13/cobra"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// emulatorOptions are the emulator command's flags.
type emulatorOptions struct {
	listen, seedFile, synthetic, account string
	log                                  logFlags
	rate                                 float64
	burst                                int
	faultSeed                            int64
	throttle, internal, unavailable      float64
	latency, jitter                      time.Duration
	denyRegions, opFaults                []string
}

func (o *emulatorOptions) Validate() error {
	if o.seedFile != "" && o.synthetic != "" {
		return errors.New("--seed and --synthetic are mutually exclusive; pick one")
	}
	if _, _, err := net.SplitHostPort(o.listen); err != nil {
		return fmt.Errorf("--listen %q: want HOST:PORT, e.g. 127.0.0.1:0: %w", o.listen, err)
	}
	if _, err := o.log.logger(io.Discard); err != nil {
		return err
	}
	for flag, p := range map[string]float64{"--fault-throttle": o.throttle, "--fault-500": o.internal, "--fault-503": o.unavailable} {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("%s %g: a probability must be between 0 and 1", flag, p)
		}
	}
	if o.account != "" && !accountDigits.MatchString(o.account) {
		return fmt.Errorf("--account %q: an account id is 12 digits", o.account)
	}
	if o.rate < 0 || o.burst < 0 {
		return fmt.Errorf("--rate %g / --burst %d: must not be negative", o.rate, o.burst)
	}
	return nil
}

var accountDigits = regexp.MustCompile(`^[0-9]{12}$`)

// serverOptions turns the flags into emulator options, loading the seed.
func (o *emulatorOptions) serverOptions(s streams) (emulator.Options, error) {
	logger, err := o.log.logger(s.err)
	if err != nil {
		return emulator.Options{}, err
	}
	opts := emulator.Options{
		Account: o.account, Rate: o.rate, Burst: o.burst, FaultSeed: o.faultSeed,
		Faults: emulator.Faults{Throttle: o.throttle, Internal: o.internal, Unavailable: o.unavailable,
			Latency: o.latency, Jitter: o.jitter, DenyRegions: o.denyRegions},
		Logger: logger,
	}
	for _, f := range o.opFaults {
		name, of, err := emulator.ParseOpFaults(f)
		if err != nil {
			return opts, fmt.Errorf("--fault: %w", err)
		}
		if opts.Faults.PerOperation == nil {
			opts.Faults.PerOperation = map[string]emulator.OpFaults{}
		}
		opts.Faults.PerOperation[name] = of
	}
	switch {
	case o.seedFile != "":
		seed, err := emulator.LoadSeedFile(o.seedFile)
		if err != nil {
			return opts, fmt.Errorf("--seed: %w", err)
		}
		opts.Seed = seed
	case o.synthetic != "":
		spec, err := emulator.ParseSyntheticSpec(o.synthetic)
		if err != nil {
			return opts, fmt.Errorf("--synthetic: %w", err)
		}
		opts.Seed = emulator.Synthetic(spec)
	}
	return opts, nil
}

func newEmulatorCmd(s streams) *cobra.Command {
	o := &emulatorOptions{}
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Serve a local API Gateway V2 control plane for tests and demos",
		Long: `emulator serves the API Gateway V2 operations apigw2tf uses (and STS
GetCallerIdentity) on a local address. Point any AWS client at it with
--endpoint-url or AWS_ENDPOINT_URL_APIGATEWAYV2 and dummy credentials; the
region comes from the request signature. GET /_emulator/stats shows request
counts, POST /_emulator/reset restores the seed. It stops on SIGINT/SIGTERM.`,
		Example: `  apigw2tf emulator --seed testdata/accounts/demo.yaml
  apigw2tf emulator --listen 127.0.0.1:0 --synthetic apis=20000,stages=5,seed=1
  apigw2tf emulator --rate 10 --burst 40 --fault GetStages:throttle=0.3,latency=20ms --deny-region eu-west-1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			opts, err := o.serverOptions(s)
			if err != nil {
				return err
			}
			srv, err := emulator.New(opts)
			if err != nil {
				return fmt.Errorf("starting emulator: %w", err)
			}
			return srv.ListenAndServe(cmd.Context(), o.listen, func(addr string) {
				if host, _, err := net.SplitHostPort(addr); err == nil {
					if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
						fmt.Fprintf(s.err, "warning: listening on non-loopback address %s; anyone who can reach it can change its state\n", addr)
					}
				}
				fmt.Fprintf(s.out, "listening on http://%s\n", addr)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", "127.0.0.1:4566", "address to serve on; 127.0.0.1:0 picks a free port")
	f.StringVar(&o.seedFile, "seed", "", "YAML seed file with accounts, regions, APIs and stages")
	f.StringVar(&o.synthetic, "synthetic", "", "generate a seed: apis=N,stages=S,seed=K[,regions=us-east-1+eu-west-1][,account=ID][,accounts=N] (accounts: an organization of N accounts with APIs each)")
	f.StringVar(&o.account, "account", "", "account id the emulator serves (default: the seed's organization management account or only account, else 123456789012)")
	f.Float64Var(&o.rate, "rate", 0, "quota per account and region in requests/s (0 = unlimited)")
	f.IntVar(&o.burst, "burst", 0, "quota bucket size (default: the rate)")
	f.Int64Var(&o.faultSeed, "fault-seed", 0, "seed for injected faults and jitter (ids depend on the seed only)")
	f.Float64Var(&o.throttle, "fault-throttle", 0, "probability of an injected 429 TooManyRequestsException")
	f.Float64Var(&o.internal, "fault-500", 0, "probability of an injected 500")
	f.Float64Var(&o.unavailable, "fault-503", 0, "probability of an injected 503")
	f.DurationVar(&o.latency, "latency", 0, "latency added to every request")
	f.DurationVar(&o.jitter, "jitter", 0, "random extra latency in [0,jitter)")
	f.StringSliceVar(&o.denyRegions, "deny-region", nil, "answer AccessDeniedException for every call in these regions")
	f.StringArrayVar(&o.opFaults, "fault", nil, "per-operation faults, repeatable: "+
		"OPERATION:throttle=P,internal=P,unavailable=P,latency=D,jitter=D")
	o.log.register(f, "info")
	return cmd
}
