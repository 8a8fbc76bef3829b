package shard

import (
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		count       int
		getenv      func(string) string
		want        Spec
		err         string
	}{
		{name: "pair", value: "1/4", want: Spec{1, 4}},
		{name: "pair with agreeing --shards", value: "0/2", count: 2, want: Spec{0, 2}},
		{name: "kubernetes", value: Auto, count: 5, getenv: env(EnvJobCompletionIndex, "3"), want: Spec{3, 5}},
		{name: "batch", value: Auto, getenv: env(EnvBatchArrayIndex, "2", EnvBatchArraySize, "3"), want: Spec{2, 3}},
		{name: "batch with agreeing --shards", value: Auto, count: 3, getenv: env(EnvBatchArrayIndex, "0", EnvBatchArraySize, "3"), want: Spec{0, 3}},
		{name: "index too large", value: "4/4", err: "--shard 4/4: shard index 4 is not valid for 4 shards; shards are numbered 0 to 3"},
		{name: "zero shards", value: "0/0", err: "shard count 0 is not valid"},
		{name: "not a pair", value: "two", err: `--shard "two" is not I/N (e.g. 0/4) or auto`},
		{name: "disagrees with --shards", value: "1/4", count: 3, err: "--shard 1/4 disagrees with --shards 3"},
		{name: "kubernetes without --shards", value: Auto, getenv: env(EnvJobCompletionIndex, "1"), err: "needs --shards N: a Kubernetes Indexed Job does not export its completions"},
		{name: "kubernetes index beyond --shards", value: Auto, count: 2, getenv: env(EnvJobCompletionIndex, "2"), err: "shard index 2 is not valid for 2 shards"},
		{name: "batch without size", value: Auto, getenv: env(EnvBatchArrayIndex, "1"), err: "AWS_BATCH_JOB_ARRAY_SIZE is not"},
		{name: "batch size disagrees", value: Auto, count: 4, getenv: env(EnvBatchArrayIndex, "1", EnvBatchArraySize, "3"), err: "disagrees with --shards 4"},
		{name: "both engines", value: Auto, count: 2, getenv: env(EnvJobCompletionIndex, "1", EnvBatchArrayIndex, "1"), err: "both JOB_COMPLETION_INDEX and AWS_BATCH_JOB_ARRAY_INDEX are set"},
		{name: "no engine", value: Auto, count: 2, getenv: env(), err: "--shard auto: neither JOB_COMPLETION_INDEX"},
		{name: "bad index", value: Auto, count: 2, getenv: env(EnvJobCompletionIndex, "x"), err: `JOB_COMPLETION_INDEX="x" is not a non-negative integer`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := tc.getenv
			if getenv == nil {
				getenv = env()
			}
			got, err := Parse(tc.value, tc.count, getenv)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Parse(%q, %d) = %v, %v; want error containing %q", tc.value, tc.count, got, err, tc.err)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Parse(%q, %d) = %v, %v; want %v", tc.value, tc.count, got, err, tc.want)
			}
		})
	}
}
