package standin

import "testing"

func TestParseStageImportID(t *testing.T) {
	for _, tc := range []struct {
		id, api, stage, err string
	}{
		{id: "abc123/prod", api: "abc123", stage: "prod"},
		{id: "abc123/$default", api: "abc123", stage: "$default"},
		{id: "abc123", err: "wrong format of import ID (abc123), use: 'api-id/stage-name'"},
		{id: "abc123/prod/extra", err: "wrong format of import ID (abc123/prod/extra), use: 'api-id/stage-name'"},
		{id: "", err: "wrong format of import ID (), use: 'api-id/stage-name'"},
	} {
		api, stage, err := parseStageImportID(tc.id)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("parseStageImportID(%q) error = %v, want %q", tc.id, err, tc.err)
			}
			continue
		}
		if err != nil || api != tc.api || stage != tc.stage {
			t.Errorf("parseStageImportID(%q) = %q, %q, %v; want %q, %q", tc.id, api, stage, err, tc.api, tc.stage)
		}
	}
}

func TestSplitImportRegion(t *testing.T) {
	for _, tc := range []struct{ id, rest, region string }{
		{"abc123", "abc123", ""},
		{"abc123@us-west-2", "abc123", "us-west-2"},
		{"abc123/prod@eu-central-1", "abc123/prod", "eu-central-1"},
		{"abc123/prod@us-gov-west-1", "abc123/prod", "us-gov-west-1"},
		{"abc123@not-a-region", "abc123@not-a-region", ""},
		{"abc123@", "abc123@", ""},
	} {
		rest, region := splitImportRegion(tc.id)
		if rest != tc.rest || region != tc.region {
			t.Errorf("splitImportRegion(%q) = %q, %q; want %q, %q", tc.id, rest, region, tc.rest, tc.region)
		}
	}
}

func TestARNsAndURLs(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{apiARN("us-east-1", "a1"), "arn:aws:apigateway:us-east-1::/apis/a1"},
		{apiExecutionARN("us-east-1", "123456789012", "a1"), "arn:aws:execute-api:us-east-1:123456789012:a1"},
		{apiExecutionARN("us-east-1", "", "a1"), "arn:aws:execute-api:us-east-1::a1"},
		{stageARN("cn-north-1", "a1", "prod"), "arn:aws-cn:apigateway:cn-north-1::/apis/a1/stages/prod"},
		{stageExecutionARN("us-gov-west-1", "123", "a1", "$default"), "arn:aws-us-gov:execute-api:us-gov-west-1:123:a1/$default"},
		{stageInvokeURL("us-east-1", "HTTP", "a1", "$default"), "https://a1.execute-api.us-east-1.amazonaws.com/"},
		{stageInvokeURL("us-east-1", "HTTP", "a1", "prod"), "https://a1.execute-api.us-east-1.amazonaws.com/prod"},
		{stageInvokeURL("eu-west-1", "WEBSOCKET", "a1", "$default"), "wss://a1.execute-api.eu-west-1.amazonaws.com/$default"},
		{stageInvokeURL("cn-north-1", "HTTP", "a1", "prod"), "https://a1.execute-api.cn-north-1.amazonaws.com.cn/prod"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}
