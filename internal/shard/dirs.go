package shard

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Placeholders of --dir-template, the names generate's several-account
// layout uses.
const (
	PlaceholderAccountName = "{account_name}"
	PlaceholderRegion      = "{region}"
)

var placeholderRE = regexp.MustCompile(`\{[^}]*\}`)

// CheckTemplate checks a --dir-template such as infra/{account_name} or
// infra/{account_name}/{region}.
func CheckTemplate(template string) error {
	for _, p := range placeholderRE.FindAllString(template, -1) {
		if p != PlaceholderAccountName && p != PlaceholderRegion {
			return fmt.Errorf("--dir-template %q: unknown placeholder %s; use %s and %s", template, p, PlaceholderAccountName, PlaceholderRegion)
		}
	}
	if !strings.Contains(template, PlaceholderAccountName) {
		return fmt.Errorf("--dir-template %q names no %s, so every account would share its directories; use e.g. infra/%s", template, PlaceholderAccountName, PlaceholderAccountName)
	}
	return nil
}

// Dirs lists the existing directories template gives for an account, in
// lexical order: {account_name} is the account's name, {region} any
// directory name.
func Dirs(template, account string) ([]string, error) {
	if err := CheckTemplate(template); err != nil {
		return nil, err
	}
	pattern := strings.ReplaceAll(template, PlaceholderAccountName, globEscape(account))
	pattern = strings.ReplaceAll(pattern, PlaceholderRegion, "*")
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("--dir-template %q for account %s: %w", template, account, err)
	}
	var dirs []string
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.IsDir() {
			dirs = append(dirs, m)
		}
	}
	return dirs, nil
}

// globEscape quotes the characters filepath.Match treats specially, so an
// account name is matched as it is.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
