package standin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// configure loads the AWS configuration the way the real provider does
// (provider arguments first, then the environment and shared files),
// validates the credentials with STS unless told not to, and looks up the
// account id that execution ARNs carry.
func configure(ctx context.Context, o options) (*providerData, error) {
	cfg, err := loadAWSConfig(ctx, o)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		return nil, errors.New(`no region: set "region" in the provider block, or AWS_REGION`)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, fmt.Errorf("no valid credential sources found: set access_key and secret_key, a profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: %w", err)
	}
	stsClient := func() *sts.Client {
		return sts.NewFromConfig(cfg, func(so *sts.Options) {
			if o.STSRegion != "" {
				so.Region = o.STSRegion
			}
			if o.STSEndpoint != "" {
				so.BaseEndpoint = aws.String(o.STSEndpoint)
			}
		})
	}
	if r := o.AssumeRole; r != nil {
		// The base credentials sign AssumeRole; every later call, the
		// identity check included, uses the role's.
		creds := aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(stsClient(), r.RoleARN, func(ao *stscreds.AssumeRoleOptions) {
			if r.ExternalID != "" {
				ao.ExternalID = aws.String(r.ExternalID)
			}
			if r.SessionName != "" {
				ao.RoleSessionName = r.SessionName
			}
		}))
		if _, err := creds.Retrieve(ctx); err != nil {
			return nil, fmt.Errorf("assuming IAM Role (%s): %w", r.RoleARN, err)
		}
		cfg.Credentials = creds
	}

	var account string
	if !o.SkipCredentialsValidation || !o.SkipRequestingAccountID {
		out, err := stsClient().GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		switch {
		case err != nil && !o.SkipCredentialsValidation:
			return nil, fmt.Errorf("validating provider credentials: retrieving caller identity from STS: %w", err)
		case err != nil:
			return nil, fmt.Errorf("retrieving account details: %w (set skip_requesting_account_id = true for an endpoint without STS)", err)
		}
		if !o.SkipRequestingAccountID {
			account = aws.ToString(out.Account)
		}
	}
	if account != "" {
		if len(o.AllowedAccountIDs) > 0 && !slices.Contains(o.AllowedAccountIDs, account) {
			return nil, fmt.Errorf("AWS account ID not allowed: %s", account)
		}
		if slices.Contains(o.ForbiddenAccountIDs, account) {
			return nil, fmt.Errorf("AWS account ID not allowed: %s", account)
		}
	}

	return &providerData{
		region:    cfg.Region,
		accountID: account,
		tags:      o.Tags,
		newClient: sdkClientFactory(cfg, o.APIGatewayV2Endpoint),
	}, nil
}

func loadAWSConfig(ctx context.Context, o options) (aws.Config, error) {
	var lo []func(*config.LoadOptions) error
	if o.Region != "" {
		lo = append(lo, config.WithRegion(o.Region))
	}
	if o.Profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(o.Profile))
	}
	if len(o.SharedConfigFiles) > 0 {
		lo = append(lo, config.WithSharedConfigFiles(o.SharedConfigFiles))
	}
	if len(o.SharedCredentialsFiles) > 0 {
		lo = append(lo, config.WithSharedCredentialsFiles(o.SharedCredentialsFiles))
	}
	if o.AccessKey != "" || o.SecretKey != "" {
		lo = append(lo, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(o.AccessKey, o.SecretKey, o.Token)))
	}
	// The SDK's standard retryer; max_retries and retry_mode tune it.
	if o.RetryMode != "" {
		mode, err := aws.ParseRetryMode(o.RetryMode)
		if err != nil {
			return aws.Config{}, fmt.Errorf("retry_mode: %w", err)
		}
		lo = append(lo, config.WithRetryMode(mode))
	}
	if o.MaxRetries > 0 {
		lo = append(lo, config.WithRetryMaxAttempts(o.MaxRetries))
	}
	if o.SkipMetadataAPICheck != nil && *o.SkipMetadataAPICheck {
		lo = append(lo, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	if o.EC2MetadataEndpoint != "" {
		lo = append(lo, config.WithEC2IMDSEndpoint(o.EC2MetadataEndpoint))
	}
	switch o.EC2MetadataEndpointMode {
	case "":
	case "IPv4":
		lo = append(lo, config.WithEC2IMDSEndpointMode(imds.EndpointModeStateIPv4))
	case "IPv6":
		lo = append(lo, config.WithEC2IMDSEndpointMode(imds.EndpointModeStateIPv6))
	default:
		return aws.Config{}, fmt.Errorf("ec2_metadata_service_endpoint_mode: %q is not IPv4 or IPv6", o.EC2MetadataEndpointMode)
	}
	if o.UseFIPS {
		lo = append(lo, config.WithUseFIPSEndpoint(aws.FIPSEndpointStateEnabled))
	}
	if o.UseDualStack {
		lo = append(lo, config.WithUseDualStackEndpoint(aws.DualStackEndpointStateEnabled))
	}
	if o.Insecure {
		lo = append(lo, config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
			if t.TLSClientConfig == nil {
				t.TLSClientConfig = &tls.Config{}
			}
			t.TLSClientConfig.InsecureSkipVerify = true //nolint:gosec // the user asked for it with insecure = true
		})))
	}
	if o.CustomCABundle != "" {
		f, err := os.Open(o.CustomCABundle)
		if err != nil {
			return aws.Config{}, fmt.Errorf("custom_ca_bundle: %w", err)
		}
		defer f.Close()
		lo = append(lo, config.WithCustomCABundle(f))
	}
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if cfg.RetryMaxAttempts == 0 {
		// Neither max_retries, AWS_MAX_ATTEMPTS nor max_attempts: the real
		// provider then retries 25 times, not the SDK's 3, so a plan
		// against a throttling control plane slows down instead of failing.
		cfg.RetryMaxAttempts = defaultMaxRetries
	}
	// Like the real provider since 5.42.0, no client-side retry quota:
	// with it, a plan that meets a streak of 429s fails with "retry quota
	// exceeded" instead of backing off (provider issues #34669, #36024).
	attempts, mode := cfg.RetryMaxAttempts, cfg.RetryMode
	cfg.Retryer = func() aws.Retryer {
		standard := func(so *retry.StandardOptions) {
			so.MaxAttempts = attempts
			so.RateLimiter = ratelimit.None
		}
		if mode == aws.RetryModeAdaptive {
			return retry.NewAdaptiveMode(func(ao *retry.AdaptiveModeOptions) {
				ao.StandardOptions = append(ao.StandardOptions, standard)
			})
		}
		return retry.NewStandard(standard)
	}
	return cfg, nil
}

// defaultMaxRetries is the real provider's documented max_retries default.
const defaultMaxRetries = 25
