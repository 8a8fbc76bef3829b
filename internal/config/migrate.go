package config

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/apigw2tf/apigw2tf/inventory"
	"github.com/apigw2tf/apigw2tf/migrate"
)

// migrateSection reads the migrate section: a list of moves, applied in
// order. The rules for each value belong to package migrate; this adds the
// position.
func (w *walker) migrateSection(n *yaml.Node) []migrate.Move {
	var out []migrate.Move
	w.list(n, "migrate", func(i int, v *yaml.Node) {
		where := fmt.Sprintf("migrate[%d]", i)
		mv := migrate.Move{Where: fmt.Sprintf("%s:%d", w.file, v.Line)}
		seen := w.fields(v, where, map[string]func(*yaml.Node){
			"from": func(v *yaml.Node) {
				if s, ok := w.str(v, where+".from"); ok {
					mv.From = w.inputDir(v, where+".from", s)
				}
			},
			"to": func(v *yaml.Node) {
				if s, ok := w.str(v, where+".to"); ok {
					mv.To = w.inputDir(v, where+".to", s)
				}
			},
			"select": func(v *yaml.Node) { w.selector(v, where+".select", &mv.Select) },
			"naming": func(v *yaml.Node) { mv.Naming = w.oneOf(v, where+".naming", migrate.Namings...) },
			"names": func(v *yaml.Node) {
				mv.Names = w.stringMap(v, where+".names", func(_, val *yaml.Node, _, name string) {
					if err := migrate.CheckName(name); err != nil {
						w.errf(val, "%s.names: %v", where, err)
					}
				})
			},
			"module": func(v *yaml.Node) {
				if s, ok := w.str(v, where+".module"); ok {
					if err := migrate.CheckModule(s); err != nil {
						w.errf(v, "%s: %v", where, err)
					}
					mv.Module = s
				}
			},
		})
		d := deref(v)
		if d.Kind != yaml.MappingNode {
			return
		}
		for _, k := range []string{"from", "to", "select"} {
			if !seen[k] {
				w.errf(d, "%s needs %s", where, k)
			}
		}
		if seen["select"] && mv.Select.Empty() {
			w.errf(d, "%s.select picks nothing; name api_ids, names, tags, regions, protocol, addresses or stages", where)
		}
		out = append(out, mv)
	})
	return out
}

func (w *walker) selector(n *yaml.Node, where string, s *migrate.Selector) {
	w.fields(n, where, map[string]func(*yaml.Node){
		"api_ids": func(v *yaml.Node) {
			s.APIIDs = w.strings(v, where+".api_ids", func(e *yaml.Node, id string) {
				if err := inventory.CheckAPIID(id); err != nil {
					w.errf(e, "%s.api_ids: %v", where, err)
				}
			})
		},
		"names":    func(v *yaml.Node) { s.Names = w.regexps(v, where+".names") },
		"tags":     func(v *yaml.Node) { s.Tags = w.stringMap(v, where+".tags", nil) },
		"regions":  func(v *yaml.Node) { s.Regions = w.regions(v, where+".regions") },
		"protocol": func(v *yaml.Node) { s.Protocol = w.oneOf(v, where+".protocol", migrate.Protocols...) },
		"addresses": func(v *yaml.Node) {
			s.Addresses = w.strings(v, where+".addresses", func(e *yaml.Node, g string) {
				if err := migrate.CheckGlob(g); err != nil {
					w.errf(e, "%s.addresses: %v", where, err)
				}
			})
		},
		"stages": func(v *yaml.Node) {
			s.Stages = w.strings(v, where+".stages", func(e *yaml.Node, id string) {
				if err := migrate.CheckStageID(id); err != nil {
					w.errf(e, "%s.stages: %v", where, err)
				}
			})
		},
	})
}
