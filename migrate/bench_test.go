package migrate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// BenchmarkSplit1000 measures migrate's own work (selection, edits,
// atomic writes) for a split of 100 APIs with 10 stages each, one
// directory into 10 by tag, with the engine faked: what `migrate --write`
// costs beyond reading the states.
func BenchmarkSplit1000(b *testing.B) {
	var src strings.Builder
	var rs []*tfjson.StateResource
	for a := range 100 {
		name, id := fmt.Sprintf("api%03d", a), fmt.Sprintf("id%08d", a)
		team := fmt.Sprintf("team%d", a%10)
		fmt.Fprintf(&src, "import {\n  to = aws_apigatewayv2_api.%s\n  id = %q\n}\n\nresource \"aws_apigatewayv2_api\" %q {\n  name          = %q\n  protocol_type = \"HTTP\"\n  tags = {\n    team = %q\n  }\n}\n\n", name, id, name, name, team)
		rs = append(rs, api(name, id, team))
		for s := range 10 {
			st := fmt.Sprintf("s%d", s)
			fmt.Fprintf(&src, "import {\n  to = aws_apigatewayv2_stage.%s_%s\n  id = \"%s/%s\"\n}\n\nresource \"aws_apigatewayv2_stage\" \"%s_%s\" {\n  api_id = aws_apigatewayv2_api.%s.id\n  name   = %q\n}\n\n", name, st, id, st, name, st, name, st)
			rs = append(rs, stage(name+"_"+st, id, st))
		}
	}
	state := stateOf(rs...)
	for b.Loop() {
		b.StopTimer()
		root := b.TempDir()
		files := map[string]string{"all/imports.tf": src.String(), "all/terraform.tfstate": "{}\n"} // the fake engine serves the state
		var moves []Move
		for t := range 10 {
			team := fmt.Sprintf("team%d", t)
			files[team+"/providers.tf"] = "provider \"aws\" {}\n"
			moves = append(moves, Move{From: "all", To: team, Select: Selector{Tags: map[string]string{"team": team}}})
		}
		for p, c := range files {
			os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755)
			os.WriteFile(filepath.Join(root, p), []byte(c), 0o644)
		}
		f := &fixture{root: root, states: map[string]*tfjson.State{"all": state}}
		o := f.opts(true, moves...)
		b.StartTimer()
		res, err := Run(context.Background(), o)
		if err != nil || len(res.Steps) != 1100 {
			b.Fatalf("%d steps, %v", len(res.Steps), err)
		}
	}
}
