package emulator_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/apigw2tf/apigw2tf/emulator"
)

func TestCaptureKeepsDecodedRequests(t *testing.T) {
	srv, url := start(t, emulator.Options{Capture: true})
	c := client(url, "us-east-1", nil)
	api, err := c.CreateApi(ctx(t), &apigatewayv2.CreateApiInput{Name: aws.String("orders"), ProtocolType: "HTTP"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateStage(ctx(t), &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("$default"), AutoDeploy: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetStage(ctx(t), &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("$default")}); err != nil {
		t.Fatal(err)
	}
	got := srv.Requests()
	if len(got) != 3 {
		t.Fatalf("captured %d requests, want 3: %+v", len(got), got)
	}
	if got[0].Operation != "CreateApi" || got[0].Method != "POST" || got[0].Path != "/v2/apis" || got[0].Body["name"] != "orders" {
		t.Errorf("first request = %+v", got[0])
	}
	if v, ok := got[1].Body["autoDeploy"]; got[1].Operation != "CreateStage" || !ok || v != false {
		t.Errorf("second request = %+v, want CreateStage with autoDeploy false", got[1])
	}
	if got[2].Operation != "GetStage" || got[2].Body != nil || got[2].Path != "/v2/apis/"+*api.ApiId+"/stages/%24default" {
		t.Errorf("third request = %+v, want GetStage without body at the encoded path", got[2])
	}
}

func TestCaptureOffByDefault(t *testing.T) {
	srv, url := start(t, emulator.Options{})
	if _, err := client(url, "us-east-1", nil).CreateApi(ctx(t), &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: "HTTP"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Requests(); got != nil {
		t.Errorf("Requests() = %+v without Options.Capture, want nil", got)
	}
}
