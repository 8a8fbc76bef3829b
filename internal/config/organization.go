package config

import (
	"regexp"

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
