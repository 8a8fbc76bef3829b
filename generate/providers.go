package generate

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
)

func (g *gen) regions() error {
	all := map[string]bool{}
	for _, r := range g.inv.Regions {
		all[r] = true
	}
	for i := range g.inv.APIs {
		all[g.inv.APIs[i].Region] = true
	}
	switch {
	case g.opts.DefaultRegion != "":
		g.defaultRegion = g.opts.DefaultRegion
	case g.scan.defaultRegion != "":
		g.defaultRegion = g.scan.defaultRegion
	case g.scan.defaultDecl:
		return fmt.Errorf("the unaliased provider \"aws\" in %s has no literal region; pass --default-region", g.opts.Dir)
	case all[g.inv.DefaultRegion]:
		g.defaultRegion = g.inv.DefaultRegion
	case len(all) > 0:
		g.defaultRegion = slices.Sorted(maps.Keys(all))[0]
	}
	g.alias = map[string]string{g.defaultRegion: ""}
	for _, r := range slices.Sorted(maps.Keys(all)) {
		if r == g.defaultRegion {
			continue
		}
		if a, ok := g.scan.aliases[r]; ok {
			g.alias[r] = a
			continue
		}
		a := identifier(snake(r), "region")
		if own, ok := g.scan.ownAliases[r]; ok {
			a = own
		}
		if g.scan.aliasNames[a] {
			return fmt.Errorf("provider alias aws.%s in %s is not for region %s; give region %s its own alias with a literal region", a, g.opts.Dir, r, r)
		}
		g.alias[r] = a
	}
	return nil
}

func (g *gen) provider(region string) hcl.Traversal {
	a := g.alias[region]
	if a == "" {
		return nil
	}
	return hcl.Traversal{hcl.TraverseRoot{Name: "aws"}, hcl.TraverseAttr{Name: a}}
}

func (g *gen) regionRank(region string) string {
	if region == g.defaultRegion {
		return "0"
	}
	return "1" + region
}
