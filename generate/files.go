package generate

import "strings"

func (g *gen) fileFor(region, apiName string) string {
	switch g.opts.Layout {
	case LayoutPerRegion:
		return g.opts.stem() + "." + fileSafe(region) + ".tf"
	case LayoutPerAPI:
		if apiName != "" {
			return g.opts.stem() + "." + fileSafe(apiName) + ".tf"
		}
	}
	return g.opts.Output
}

func fileSafe(s string) string {
	out := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return '_'
	}, s)
	if out == "" {
		return "_"
	}
	return out
}

func (g *gen) file(name string) *fileOut {
	f, ok := g.files[name]
	if !ok {
		f = &fileOut{}
		g.files[name] = f
	}
	return f
}

func (g *gen) add(file string, u unit) { g.file(file).units = append(g.file(file).units, u) }
