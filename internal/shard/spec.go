// Package shard splits a run over several accounts into N shards that
// batch engines (Kubernetes Indexed Jobs, GitHub Actions matrices, AWS
// Batch array jobs) run side by side: it reads which shard a process is
// (Parse) and which accounts belong to it (Assign). The unit of work is the
// account: a shard takes an account whole, with all its regions and
// directories, so that unmanaged resources and coverage stay correct inside
// the shard.
package shard

import (
	"fmt"
	"strconv"
	"strings"
)

// Environment variables the batch engines set in each of their tasks.
const (
	// EnvJobCompletionIndex is a Kubernetes Indexed Job's pod index
	// (0-based); the count (spec.completions) is not in the environment.
	EnvJobCompletionIndex = "JOB_COMPLETION_INDEX"
	// EnvBatchArrayIndex and EnvBatchArraySize are an AWS Batch array
	// job child's index (0-based) and the array's size.
	EnvBatchArrayIndex = "AWS_BATCH_JOB_ARRAY_INDEX"
	EnvBatchArraySize  = "AWS_BATCH_JOB_ARRAY_SIZE"
)

// Auto is the --shard value that reads the engine's variables.
const Auto = "auto"

// MaxCount bounds N: AWS Batch arrays stop at 10,000, and more shards than
// that would each hold a fraction of an account.
const MaxCount = 10000

// Spec is one shard: Index (0-based, as the engines count) of Count.
type Spec struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// String is the --shard form, I/N.
func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Validate checks 0 <= Index < Count <= MaxCount.
func (s Spec) Validate() error {
	if s.Count < 1 || s.Count > MaxCount {
		return fmt.Errorf("shard count %d is not valid; use 1 to %d", s.Count, MaxCount)
	}
	if s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard index %d is not valid for %d shards; shards are numbered 0 to %d, as JOB_COMPLETION_INDEX and AWS_BATCH_JOB_ARRAY_INDEX count", s.Index, s.Count, s.Count-1)
	}
	return nil
}

// Parse reads the --shard value: "I/N", or "auto" to read the engine's
// variables through getenv. count is --shards (0 when not given); it is
// required with a Kubernetes Indexed Job and must agree with anything else.
// Errors name the flag or variable and say what to do.
func Parse(value string, count int, getenv func(string) string) (Spec, error) {
	if count < 0 {
		return Spec{}, fmt.Errorf("--shards %d is not valid; use 1 to %d", count, MaxCount)
	}
	var (
		s   Spec
		err error
	)
	if value == Auto {
		s, err = fromEnv(count, getenv)
	} else {
		s, err = parsePair(value)
	}
	if err != nil {
		return Spec{}, err
	}
	if count > 0 && count != s.Count {
		return Spec{}, fmt.Errorf("--shard %s disagrees with --shards %d; give the same shard count to every shard", s, count)
	}
	if err := s.Validate(); err != nil {
		return Spec{}, fmt.Errorf("--shard %s: %w", value, err)
	}
	return s, nil
}

func parsePair(value string) (Spec, error) {
	i, n, ok := strings.Cut(value, "/")
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil {
		return Spec{}, fmt.Errorf("--shard %q is not I/N (e.g. 0/4) or auto", value)
	}
	return Spec{Index: index, Count: count}, nil
}

func fromEnv(count int, getenv func(string) string) (Spec, error) {
	k8s, batch := getenv(EnvJobCompletionIndex), getenv(EnvBatchArrayIndex)
	switch {
	case k8s != "" && batch != "":
		return Spec{}, fmt.Errorf("--shard auto: both %s and %s are set, so the engine is unclear; pass --shard I/N", EnvJobCompletionIndex, EnvBatchArrayIndex)
	case k8s != "":
		index, err := envInt(EnvJobCompletionIndex, k8s)
		if err != nil {
			return Spec{}, err
		}
		if count == 0 {
			return Spec{}, fmt.Errorf("--shard auto with %s=%s needs --shards N: a Kubernetes Indexed Job does not export its completions; pass --shards with the Job's spec.completions", EnvJobCompletionIndex, k8s)
		}
		return Spec{Index: index, Count: count}, nil
	case batch != "":
		index, err := envInt(EnvBatchArrayIndex, batch)
		if err != nil {
			return Spec{}, err
		}
		size := getenv(EnvBatchArraySize)
		if size == "" {
			return Spec{}, fmt.Errorf("--shard auto: %s=%s is set but %s is not; run as an AWS Batch array job, or pass --shard I/N", EnvBatchArrayIndex, batch, EnvBatchArraySize)
		}
		n, err := envInt(EnvBatchArraySize, size)
		if err != nil {
			return Spec{}, err
		}
		return Spec{Index: index, Count: n}, nil
	}
	return Spec{}, fmt.Errorf("--shard auto: neither %s (Kubernetes Indexed Job) nor %s (AWS Batch array job) is set; pass --shard I/N, e.g. from a GitHub Actions matrix", EnvJobCompletionIndex, EnvBatchArrayIndex)
}

func envInt(name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("--shard auto: %s=%q is not a non-negative integer", name, v)
	}
	return n, nil
}
