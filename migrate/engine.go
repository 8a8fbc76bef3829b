package migrate

import (
	"context"
	"fmt"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
)

// Engine is what migrate needs of an engine in one root module
// (engine.Runner satisfies it). Nothing in it changes state or writes into
// the directory: migrate reads state and plans, and people apply.
type Engine interface {
	// PulledState reads the state as `state pull` gives it: migrate needs
	// addresses and identifying attributes, not the provider's rendering,
	// and a pull costs a fraction of show -json.
	PulledState(ctx context.Context) (*tfjson.State, error)
	Plan(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error)
	// InitReadOnly initialises a temporary copy of the directory, when
	// the engine says it must be initialised; Close removes the copy.
	InitReadOnly(ctx context.Context) error
	Close() error
}

// Opener opens the engine in a root module directory.
type Opener func(ctx context.Context, dir string) (Engine, error)

// EngineVersion names the engine and its version, for the gate on
// forgetting by configuration.
type EngineVersion struct {
	Name    string // "tofu" or "terraform"
	Version *version.Version
}

// minForget is the first release of each engine that forgets a resource
// by configuration without destroying it: Terraform 1.7 brought removed
// blocks; OpenTofu took `lifecycle { destroy = false }` inside them only in
// 1.10 (1.7-1.9 reject it, and a bare removed block means destroy on
// Terraform).
var minForget = map[string]*version.Version{
	"terraform": version.Must(version.NewVersion("1.7.0")),
	"tofu":      version.Must(version.NewVersion("1.10.0")),
}

// CheckEngine refuses an engine too old to forget a resource by
// configuration, which a move between states needs.
func CheckEngine(e EngineVersion) error {
	min, ok := minForget[e.Name]
	if !ok || e.Version == nil {
		return fmt.Errorf("cannot tell which engine %q (version %v) is; migrate between states needs Terraform >= 1.7 or OpenTofu >= 1.10", e.Name, e.Version)
	}
	if e.Version.LessThan(min) {
		return fmt.Errorf("%s %s cannot forget a resource by configuration (removed block with lifecycle { destroy = false }); a move between states needs %s >= %s: upgrade the engine or pass a newer one with --terraform-bin", e.Name, e.Version, e.Name, min)
	}
	return nil
}
