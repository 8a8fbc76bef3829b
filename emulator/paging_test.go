package emulator_test

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// listAPIs pages through GetApis and returns the ids and the page count.
func listAPIs(t *testing.T, c *apigatewayv2.Client, maxResults int) ([]string, int) {
	t.Helper()
	var ids []string
	var token *string
	pages := 0
	for {
		in := &apigatewayv2.GetApisInput{NextToken: token}
		if maxResults > 0 {
			in.MaxResults = aws.String(strconv.Itoa(maxResults))
		}
		out, err := c.GetApis(ctx(t), in)
		if err != nil {
			t.Fatalf("GetApis page %d: %v", pages+1, err)
		}
		pages++
		for _, a := range out.Items {
			ids = append(ids, aws.ToString(a.ApiId))
		}
		if aws.ToString(out.NextToken) == "" {
			return ids, pages
		}
		token = out.NextToken
	}
}

func listStages(t *testing.T, c *apigatewayv2.Client, apiID string, maxResults int) ([]string, int) {
	t.Helper()
	var names []string
	var token *string
	pages := 0
	for {
		out, err := c.GetStages(ctx(t), &apigatewayv2.GetStagesInput{ApiId: &apiID, NextToken: token, MaxResults: aws.String(strconv.Itoa(maxResults))})
		if err != nil {
			t.Fatalf("GetStages page %d: %v", pages+1, err)
		}
		pages++
		for _, s := range out.Items {
			names = append(names, aws.ToString(s.StageName))
		}
		if aws.ToString(out.NextToken) == "" {
			return names, pages
		}
		token = out.NextToken
	}
}

func TestPaginationEdges(t *testing.T) {
	const size = 5
	for _, n := range []int{0, 1, size, size + 1, 3*size + 2} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			_, url := start(t, emulator.Options{Seed: emulator.Synthetic(emulator.SyntheticSpec{APIs: n, Stages: n, Seed: int64(n)})})
			c := client(url, "us-east-1", nil)
			ids, pages := listAPIs(t, c, size)
			wantPages := max(1, (n+size-1)/size)
			if len(ids) != n || pages != wantPages || hasDup(ids) {
				t.Fatalf("GetApis: %d ids in %d pages (dups %v), want %d in %d", len(ids), pages, hasDup(ids), n, wantPages)
			}
			for _, id := range ids {
				names, pages := listStages(t, c, id, size)
				if len(names) != n || pages != wantPages || hasDup(names) {
					t.Fatalf("GetStages %s: %d names in %d pages, want %d in %d", id, len(names), pages, n, wantPages)
				}
			}
		})
	}
}

func TestDefaultPageSize(t *testing.T) {
	_, url := start(t, emulator.Options{Seed: emulator.Synthetic(emulator.SyntheticSpec{APIs: emulator.DefaultPageSize + 1, Seed: 3})})
	out, err := client(url, "us-east-1", nil).GetApis(ctx(t), &apigatewayv2.GetApisInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Items) != emulator.DefaultPageSize || out.NextToken == nil {
		t.Errorf("first page has %d items (next %v), want %d and a token", len(out.Items), out.NextToken, emulator.DefaultPageSize)
	}
	_, err = client(url, "us-east-1", nil).GetApis(ctx(t), &apigatewayv2.GetApisInput{MaxResults: aws.String(strconv.Itoa(emulator.MaxPageSize + 1))})
	wantErr[*types.BadRequestException](t, "maxResults above the limit", err)
}

func hasDup(xs []string) bool {
	seen := map[string]bool{}
	for _, x := range xs {
		if seen[x] {
			return true
		}
		seen[x] = true
	}
	return false
}

// TestPagingUnderConcurrentWrites: APIs created and deleted between pages
// never make a survivor disappear or an item repeat.
func TestPagingUnderConcurrentWrites(t *testing.T) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 300, Seed: 11})
	_, url := start(t, emulator.Options{Seed: seed})
	c := client(url, "us-east-1", nil)
	initial, _ := listAPIs(t, c, emulator.MaxPageSize)
	doomed := map[string]bool{}
	for i, id := range initial {
		if i%3 == 0 {
			doomed[id] = true
		}
	}
	for round := range 3 {
		var wg sync.WaitGroup
		var stop atomic.Bool
		wg.Go(func() {
			for id := range doomed {
				_, _ = c.DeleteApi(ctx(t), &apigatewayv2.DeleteApiInput{ApiId: aws.String(id)})
			}
		})
		wg.Go(func() {
			for i := 0; !stop.Load() && i < 300; i++ {
				if _, err := c.CreateApi(ctx(t), &apigatewayv2.CreateApiInput{Name: aws.String(fmt.Sprintf("new-%d-%d", round, i)), ProtocolType: types.ProtocolTypeHttp}); err != nil {
					t.Errorf("CreateApi: %v", err)
					return
				}
			}
		})
		ids, _ := listAPIs(t, c, 7)
		stop.Store(true)
		wg.Wait()
		if hasDup(ids) {
			t.Fatalf("round %d: duplicate ids while paging", round)
		}
		seen := map[string]bool{}
		for _, id := range ids {
			seen[id] = true
		}
		for _, id := range initial {
			if !doomed[id] && !seen[id] {
				t.Fatalf("round %d: surviving api %s skipped", round, id)
			}
		}
	}
}

func TestConcurrentReaders(t *testing.T) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 50, Stages: 3, Seed: 5})
	_, url := start(t, emulator.Options{Seed: seed})
	c := client(url, "us-east-1", nil)
	ids, _ := listAPIs(t, c, 100)
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			id := ids[i%len(ids)]
			switch i % 4 {
			case 0:
				if _, err := c.GetApis(ctx(t), &apigatewayv2.GetApisInput{MaxResults: aws.String("10")}); err != nil {
					t.Errorf("GetApis: %v", err)
				}
			case 1:
				if _, err := c.GetStages(ctx(t), &apigatewayv2.GetStagesInput{ApiId: &id}); err != nil {
					t.Errorf("GetStages: %v", err)
				}
			case 2:
				if _, err := c.GetApi(ctx(t), &apigatewayv2.GetApiInput{ApiId: &id}); err != nil {
					t.Errorf("GetApi: %v", err)
				}
			case 3:
				// A writer among the readers: tag churn on the same APIs.
				arn := "arn:aws:apigateway:us-east-1::/apis/" + id
				if _, err := c.TagResource(ctx(t), &apigatewayv2.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"k": fmt.Sprint(i)}}); err != nil {
					t.Errorf("TagResource: %v", err)
				}
			}
		})
	}
	wg.Wait()
}
