package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// FlagName is the global flag naming the configuration file.
const FlagName = "config"

// AddFlag registers --config/-c on flags (a root command's persistent
// flags). An empty value means DefaultFile when it exists.
func AddFlag(flags *pflag.FlagSet) {
	flags.StringP(FlagName, "c", "", "configuration file (default ./"+DefaultFile+" when it exists)")
}

// FromFlags loads the configuration file --config names. Without --config
// it loads DefaultFile from the working directory when it exists and
// returns nil, nil when it does not, so commands work without a file.
func FromFlags(flags *pflag.FlagSet) (*Config, error) {
	path := DefaultFile
	if f := flags.Lookup(FlagName); f != nil && f.Value.String() != "" {
		path = f.Value.String()
	} else if _, err := os.Stat(DefaultFile); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return Load(path)
}

// Scope is what a command's own flags say about which accounts of the
// file it runs. The file gives values, never flags: the command maps them
// into its options itself and lets the flags given on its command line win.
type Scope struct {
	// Command names the command in messages ("discover").
	Command string
	// AccountFlag is the flag that names accounts (--account), for
	// messages; Names are the accounts it names.
	AccountFlag string
	Names       []string
	// Several is set for a command that runs several accounts at once.
	Several bool
	// CredentialsGiven is set when the command line gives both the
	// profile and the regions, so no account of the file is needed.
	CredentialsGiven bool
}

// Account picks the account a command uses: the one Names names, the only
// one, or none when the command line gives the credentials and regions
// itself, or when a command that runs several accounts runs several
// (Selected lists them).
func (c *Config) Account(s Scope) (*Account, error) {
	names := s.Names
	if len(names) > 1 || (len(names) == 0 && len(c.Accounts) > 1 && s.Several) {
		if s.Several {
			return nil, nil
		}
		return nil, fmt.Errorf("--%s names %d accounts and `apigw2tf %s` runs one at a time; name one, or discover them together with `apigw2tf discover`", s.AccountFlag, len(names), s.Command)
	}
	if len(names) == 1 {
		name := names[0]
		for i := range c.Accounts {
			if c.Accounts[i].Name == name {
				return &c.Accounts[i], nil
			}
		}
		return nil, fmt.Errorf("--%s %q is not in %s; %s", s.AccountFlag, name, c.Path, c.accountNames())
	}
	switch len(c.Accounts) {
	case 0:
		return nil, nil
	case 1:
		return &c.Accounts[0], nil
	}
	if s.CredentialsGiven {
		return nil, nil
	}
	return nil, c.ErrorAt("accounts", "%d accounts are configured; pick one with --%s NAME (%s)", len(c.Accounts), s.AccountFlag, c.accountNames())
}

// Selected lists the accounts a command that runs several accounts at
// once uses: those Names names, else all of them. It returns nil when the
// run is one account (one in the file, one named, or credentials on the
// command line), which Account picks.
func (c *Config) Selected(s Scope) ([]Account, error) {
	if len(c.Accounts) < 2 {
		return nil, nil
	}
	if len(s.Names) == 1 || (len(s.Names) == 0 && s.CredentialsGiven) {
		return nil, nil
	}
	if len(s.Names) == 0 {
		return c.Accounts, nil
	}
	var out []Account
	for _, n := range s.Names {
		i := slices.IndexFunc(c.Accounts, func(a Account) bool { return a.Name == n })
		if i < 0 {
			return nil, fmt.Errorf("--%s %q is not in %s; %s", s.AccountFlag, n, c.Path, c.accountNames())
		}
		out = append(out, c.Accounts[i])
	}
	return out, nil
}

// AccountNames splits the value of --account a,b into names, once each.
func AccountNames(list string) []string {
	var out []string
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func (c *Config) accountNames() string {
	if len(c.Accounts) == 0 {
		return "it lists no accounts"
	}
	names := make([]string, len(c.Accounts))
	for i, a := range c.Accounts {
		names[i] = a.Name
	}
	return "accounts are " + strings.Join(names, ", ")
}

// ErrorAt formats an error that points at key's value in the file, for
// a rule a command checks on the file's values after parsing.
func (c *Config) ErrorAt(key, format string, args ...any) error {
	// accounts.profile and friends point at the accounts list.
	if i := strings.IndexByte(key, '.'); i > 0 && key[:i] == "accounts" {
		key = "accounts"
	}
	p := Problem{File: c.Path, Msg: fmt.Sprintf(format, args...)}
	if pos, ok := c.pos[key]; ok {
		p.Line, p.Col = pos.line, pos.col
	}
	return errors.New(p.String())
}
