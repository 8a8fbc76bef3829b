package audit

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// Config is the audit part of a configuration file:
//
//	audit:
//	  dirs: [infra/prod, infra/staging]
//	  parallel: 4
//	  ignore: audit-ignore.yaml
//
// Relative paths are relative to the file.
type Config struct {
	Dirs     []string
	Parallel int
	// Ignore is an --ignore file; IgnoreRules are rules written inline
	// (`ignore:` holding a list). At most one is set.
	Ignore      string
	IgnoreRules *IgnoreRules
}

// UnmarshalYAML reads `ignore:` as a file name or as a list of rules. Other
// keys of the section (formats, out_dir, ...) belong to the command line
// and are left alone.
func (c *Config) UnmarshalYAML(n *yaml.Node) error {
	var raw struct {
		Dirs     []string  `yaml:"dirs"`
		Parallel int       `yaml:"parallel"`
		Ignore   yaml.Node `yaml:"ignore"`
	}
	if err := n.Decode(&raw); err != nil {
		return err
	}
	c.Dirs, c.Parallel = raw.Dirs, raw.Parallel
	switch raw.Ignore.Kind {
	case 0:
	case yaml.SequenceNode:
		c.IgnoreRules = &IgnoreRules{}
		if err := raw.Ignore.Decode(&c.IgnoreRules.Rules); err != nil {
			return err
		}
	default:
		if err := raw.Ignore.Decode(&c.Ignore); err != nil {
			return fmt.Errorf("line %d: ignore is a file name or a list of rules: %w", raw.Ignore.Line, err)
		}
	}
	return nil
}

// LoadConfig reads the `audit:` section of a YAML file.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading audit config: %w", err)
	}
	var doc struct {
		Audit *Config `yaml:"audit"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("audit config %s: %w", path, err)
	}
	if doc.Audit == nil || len(doc.Audit.Dirs) == 0 {
		return nil, fmt.Errorf("audit config %s lists no directories; add `audit: {dirs: [path, ...]}`", path)
	}
	if doc.Audit.Parallel < 0 {
		return nil, fmt.Errorf("audit config %s: parallel is %d; use a positive number", path, doc.Audit.Parallel)
	}
	base := filepath.Dir(path)
	for i, d := range doc.Audit.Dirs {
		if !filepath.IsAbs(d) {
			doc.Audit.Dirs[i] = filepath.Join(base, d)
		}
	}
	if doc.Audit.IgnoreRules != nil {
		if err := doc.Audit.IgnoreRules.check(path); err != nil {
			return nil, err
		}
	}
	if doc.Audit.Ignore != "" && !filepath.IsAbs(doc.Audit.Ignore) {
		doc.Audit.Ignore = filepath.Join(base, doc.Audit.Ignore)
	}
	return doc.Audit, nil
}
