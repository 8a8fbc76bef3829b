package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/apigw2tf/apigw2tf/discover"
)

// Organization lists the accounts to discover from AWS Organizations. The
// profile and role_arn are the listing credentials (the management account
// or a delegated administrator); member_role_name is assumed in every
// member account with them.
type Organization struct {
	Profile         string
	RoleARN         string
	MemberRoleName  string
	ExternalID      string
	SessionName     string
	Units           []string
	IncludeAccounts []string
	ExcludeAccounts []string
	Regions         []string
}

var sessionName = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

func (w *walker) organization(n *yaml.Node) *Organization {
	o := &Organization{}
	const where = "organization"
	seen := w.fields(n, where, map[string]func(*yaml.Node){
		"profile":  func(v *yaml.Node) { o.Profile, _ = w.str(v, where+".profile") },
		"role_arn": func(v *yaml.Node) { o.RoleARN = w.roleARN(v, where+".role_arn") },
		"member_role_name": func(v *yaml.Node) {
			if s, ok := w.str(v, where+".member_role_name"); ok {
				if !discover.ValidMemberRoleName(s) {
					w.errf(v, "%s.member_role_name %q is not an IAM role name (not an ARN: the account differs per member), like apigw2tf-read", where, s)
				}
				o.MemberRoleName = s
			}
		},
		"external_id": func(v *yaml.Node) {
			if s, ok := w.str(v, where+".external_id"); ok {
				if len(s) < 2 || len(s) > 1224 {
					w.errf(v, "%s.external_id must be 2 to 1224 characters, as STS requires", where)
				}
				o.ExternalID = s
			}
		},
		"session_name": func(v *yaml.Node) {
			if s, ok := w.str(v, where+".session_name"); ok {
				if !sessionName.MatchString(s) {
					w.errf(v, "%s.session_name %q must be 2 to 64 letters, digits or +=,.@_-", where, s)
				}
				o.SessionName = s
			}
		},
		"organizational_units": func(v *yaml.Node) {
			o.Units = w.strings(v, where+".organizational_units", func(v *yaml.Node, s string) {
				if !discover.ValidOrgUnitID(s) {
					w.errf(v, "%s.organizational_units: %q is not an organizational unit id like ou-ab12-cd34ef56", where, s)
				}
			})
		},
		"include_accounts": func(v *yaml.Node) { o.IncludeAccounts = w.strings(v, where+".include_accounts", nil) },
		"exclude_accounts": func(v *yaml.Node) { o.ExcludeAccounts = w.strings(v, where+".exclude_accounts", nil) },
		"regions":          func(v *yaml.Node) { o.Regions = w.regions(v, where+".regions") },
	})
	d := deref(n)
	if d.Kind != yaml.MappingNode {
		return o
	}
	if !seen["member_role_name"] {
		w.errf(d, "organization needs member_role_name: the role apigw2tf assumes in every member account, like apigw2tf-read")
	}
	if !seen["regions"] {
		w.errf(d, "organization needs regions, like [us-east-1] or [all]")
	}
	return o
}

// organizationValues are the discover flags the organization section sets.
func (c *Config) organizationValues(f Flags) []Setting {
	o := c.Organization
	return []Setting{
		{f.Profile, "organization.profile", nonEmpty(o.Profile)},
		{f.RoleARN, "organization.role_arn", nonEmpty(o.RoleARN)},
		{f.Region, "organization.regions", o.Regions},
		{f.MemberRoleName, "organization.member_role_name", nonEmpty(o.MemberRoleName)},
		{f.ExternalID, "organization.external_id", nonEmpty(o.ExternalID)},
		{f.SessionName, "organization.session_name", nonEmpty(o.SessionName)},
		{f.OrgUnit, "organization.organizational_units", o.Units},
		{f.IncludeAccount, "organization.include_accounts", o.IncludeAccounts},
		{f.ExcludeAccount, "organization.exclude_accounts", o.ExcludeAccounts},
	}
}

// runsSeveral reports whether the command can run several accounts at
// once; those that can register --account-concurrency.
func (f Flags) runsSeveral() bool { return f.AccountConcurrency != nil }

// accountNamesFlag splits --account a,b.
func accountNamesFlag(f *pflag.Flag) []string {
	if f == nil || f.Value.String() == "" {
		return nil
	}
	var out []string
	for _, n := range strings.Split(f.Value.String(), ",") {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// Selected lists the accounts a command that runs several accounts at
// once uses: those --account names, else all of them. It returns nil when
// the run is one account (one in the file, one named, or credentials on
// the command line), which ApplyTo has already put into the flags.
func (c *Config) Selected(f Flags) ([]Account, error) {
	if len(c.Accounts) < 2 || changed(f.Inventory) || changed(f.NoDiscover) {
		return nil, nil
	}
	names := accountNamesFlag(f.Account)
	if len(names) == 1 || (len(names) == 0 && changed(f.Profile) && changed(f.Region)) {
		return nil, nil
	}
	if len(names) == 0 {
		return c.Accounts, nil
	}
	var out []Account
	for _, n := range names {
		i := slices.IndexFunc(c.Accounts, func(a Account) bool { return a.Name == n })
		if i < 0 {
			return nil, fmt.Errorf("--%s %q is not in %s; %s", f.Account.Name, n, c.Path, c.accountNames())
		}
		out = append(out, c.Accounts[i])
	}
	return out, nil
}
