// Command seqwalk is the baseline of the latency-bound discover benchmark:
// the plain sequential walk a first script would do with the SDK, GetApis
// page by page, then GetStages for each API in turn, one request at a time.
// It prints the counts and the wall time.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

func main() {
	endpoint := flag.String("endpoint-url", "", "API Gateway endpoint (the emulator)")
	region := flag.String("region", "us-east-1", "region")
	pageSize := flag.Int("page-size", 100, "maxResults of both list calls, as apigw2tf's default")
	flag.Parse()
	if err := walk(context.Background(), *endpoint, *region, *pageSize); err != nil {
		fmt.Fprintln(os.Stderr, "seqwalk:", err)
		os.Exit(1)
	}
}

func walk(ctx context.Context, endpoint, region string, pageSize int) error {
	start := time.Now()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
	if err != nil {
		return fmt.Errorf("loading AWS configuration: %w", err)
	}
	client := apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	size := aws.String(fmt.Sprint(pageSize))
	calls, apis, stages := 0, 0, 0
	in := &apigatewayv2.GetApisInput{MaxResults: size}
	for {
		out, err := client.GetApis(ctx, in)
		calls++
		if err != nil {
			return fmt.Errorf("listing apis: %w", err)
		}
		for _, a := range out.Items {
			apis++
			sin := &apigatewayv2.GetStagesInput{ApiId: a.ApiId, MaxResults: size}
			for {
				sout, err := client.GetStages(ctx, sin)
				calls++
				if err != nil {
					return fmt.Errorf("listing stages of api %s: %w", aws.ToString(a.ApiId), err)
				}
				stages += len(sout.Items)
				if aws.ToString(sout.NextToken) == "" {
					break
				}
				sin.NextToken = sout.NextToken
			}
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	fmt.Printf("seqwalk: %d apis, %d stages, %d calls in %.3fs\n", apis, stages, calls, time.Since(start).Seconds())
	return nil
}
