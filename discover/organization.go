package discover

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// OrgOptions choose the accounts of an AWS Organization. The listing
// credentials are the base Options' (Profile or Credentials): the
// management account's or a delegated administrator's.
type OrgOptions struct {
	// MemberRoleName is the role assumed in every member account.
	MemberRoleName string
	// Units are organizational unit ids; their accounts and those of their
	// sub-units are taken. Empty means every account of the organization.
	Units []string
	// Include, when set, keeps only these accounts (ids or names);
	// Exclude drops these. Both must name accounts of the organization.
	Include, Exclude []string
}

var (
	memberRoleNameRE = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	unitIDRE         = regexp.MustCompile(`^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$`)
)

// ValidMemberRoleName reports whether s is an IAM role name (not an ARN:
// the account differs per member), like apigw2tf-read.
func ValidMemberRoleName(s string) bool { return memberRoleNameRE.MatchString(s) }

// ValidOrgUnitID reports whether s is an organizational unit id, like
// ou-ab12-cd34ef56.
func ValidOrgUnitID(s string) bool { return unitIDRE.MatchString(s) }

// Validate names the flag of the first unusable option.
func (oo OrgOptions) Validate() error {
	switch {
	case oo.MemberRoleName == "":
		return errors.New("--member-role-name is required to discover an organization: the role apigw2tf assumes in every member account, like apigw2tf-read")
	case strings.HasPrefix(oo.MemberRoleName, "arn:"):
		return fmt.Errorf("--member-role-name %q must be a role name, not an ARN (the account id differs per member); use e.g. apigw2tf-read", oo.MemberRoleName)
	case !ValidMemberRoleName(oo.MemberRoleName):
		return fmt.Errorf("--member-role-name %q is not an IAM role name (1 to 64 letters, digits or +=,.@_-)", oo.MemberRoleName)
	}
	for _, u := range oo.Units {
		if !ValidOrgUnitID(u) {
			return fmt.Errorf("--org-unit %q is not an organizational unit id like ou-ab12-cd34ef56", u)
		}
	}
	return nil
}

// orgLister is the part of the Organizations client the listing calls.
type orgLister interface {
	organizations.ListAccountsAPIClient
	organizations.ListChildrenAPIClient
	organizations.ListAccountsForParentAPIClient
	DescribeOrganization(ctx context.Context, in *organizations.DescribeOrganizationInput, optFns ...func(*organizations.Options)) (*organizations.DescribeOrganizationOutput, error)
}

// Organization lists the accounts OrgOptions select, with the listing
// credentials of o, as targets whose role is MemberRoleName. The account
// the listing credentials belong to is reached with them directly. Accounts
// that are not ACTIVE, and excluded ones, come back as skipped. Every
// failure is an error that says what to fix: nothing is discovered from a
// listing that went wrong.
func Organization(ctx context.Context, o Options, oo OrgOptions) (orgID string, targets []Target, skipped []inventory.SkippedAccount, err error) {
	if err := oo.Validate(); err != nil {
		return "", nil, nil, err
	}
	if err := o.Validate(); err != nil {
		return "", nil, nil, err
	}
	o = o.withDefaults()
	cfg, err := loadConfig(ctx, o, 1)
	if err != nil {
		return "", nil, nil, err
	}
	id, err := newSTSClient(cfg, o).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", nil, nil, fmt.Errorf("identifying the listing credentials with STS GetCallerIdentity: %s", awsMessage(err))
	}
	partition := "aws"
	if a, perr := arn.Parse(aws.ToString(id.Arn)); perr == nil {
		partition = a.Partition
	}
	client := organizations.NewFromConfig(cfg, func(so *organizations.Options) {
		if so.Region == "" {
			so.Region = "us-east-1" // Organizations is global; the signer needs a region
		}
		if o.EndpointURL != "" {
			so.BaseEndpoint = aws.String(o.EndpointURL)
		}
	})
	return listOrganization(ctx, client, oo, aws.ToString(id.Account), partition)
}

func listOrganization(ctx context.Context, c orgLister, oo OrgOptions, self, partition string) (string, []Target, []inventory.SkippedAccount, error) {
	org, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		return "", nil, nil, fmt.Errorf("the listing credentials (account %s) cannot read the organization: %s; use the management account or a delegated administrator, with organizations:Describe* and organizations:List* (docs/organizations.md)", self, awsMessage(err))
	}
	orgID := aws.ToString(org.Organization.Id)
	var accounts []orgtypes.Account
	if len(oo.Units) == 0 {
		p := organizations.NewListAccountsPaginator(c, &organizations.ListAccountsInput{})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return "", nil, nil, fmt.Errorf("listing the accounts of organization %s: %s", orgID, awsMessage(err))
			}
			accounts = append(accounts, page.Accounts...)
		}
	} else {
		seen := map[string]bool{}
		for _, u := range oo.Units {
			if err := listUnit(ctx, c, u, u, seen, &accounts); err != nil {
				return "", nil, nil, err
			}
		}
	}

	byKey := map[string]bool{}
	for _, a := range accounts {
		byKey[aws.ToString(a.Id)], byKey[aws.ToString(a.Name)] = true, true
	}
	for _, list := range []struct {
		flag  string
		names []string
	}{{"--include-account", oo.Include}, {"--exclude-account", oo.Exclude}} {
		for _, n := range list.names {
			if !byKey[n] {
				where := "organization " + orgID
				if len(oo.Units) > 0 {
					where = "the organizational units " + strings.Join(oo.Units, ", ")
				}
				return "", nil, nil, fmt.Errorf("%s %q is no account id or name in %s", list.flag, n, where)
			}
		}
	}
	matches := func(names []string, a orgtypes.Account) bool {
		return slices.Contains(names, aws.ToString(a.Id)) || slices.Contains(names, aws.ToString(a.Name))
	}
	var targets []Target
	var skipped []inventory.SkippedAccount
	for _, a := range accounts {
		id, name, status := aws.ToString(a.Id), aws.ToString(a.Name), string(a.Status)
		switch {
		case len(oo.Include) > 0 && !matches(oo.Include, a):
			continue // not asked for: not worth a line in the report
		case matches(oo.Exclude, a):
			skipped = append(skipped, inventory.SkippedAccount{ID: id, Name: name, Status: status, Reason: "excluded"})
		case a.Status != orgtypes.AccountStatusActive:
			skipped = append(skipped, inventory.SkippedAccount{ID: id, Name: name, Status: status, Reason: "not ACTIVE"})
		case id == self:
			targets = append(targets, Target{Name: name, ID: id})
		default:
			targets = append(targets, Target{Name: name, ID: id, RoleARN: "arn:" + partition + ":iam::" + id + ":role/" + oo.MemberRoleName})
		}
	}
	if len(targets) == 0 {
		return "", nil, nil, fmt.Errorf("organization %s has no ACTIVE account to discover with these settings (%d skipped)", orgID, len(skipped))
	}
	return orgID, targets, skipped, nil
}

// listUnit appends the accounts of unit and of its sub-units, every page.
// top is the unit the user named, for the error.
func listUnit(ctx context.Context, c orgLister, top, unit string, seen map[string]bool, out *[]orgtypes.Account) error {
	if seen[unit] {
		return nil
	}
	seen[unit] = true
	fail := func(what string, err error) error {
		var nf *orgtypes.ParentNotFoundException
		if errors.As(err, &nf) {
			return fmt.Errorf("--org-unit %s does not exist in the organization: %s", top, awsMessage(err))
		}
		return fmt.Errorf("listing the %s of organizational unit %s: %s", what, unit, awsMessage(err))
	}
	ap := organizations.NewListAccountsForParentPaginator(c, &organizations.ListAccountsForParentInput{ParentId: aws.String(unit)})
	for ap.HasMorePages() {
		page, err := ap.NextPage(ctx)
		if err != nil {
			return fail("accounts", err)
		}
		*out = append(*out, page.Accounts...)
	}
	cp := organizations.NewListChildrenPaginator(c, &organizations.ListChildrenInput{ParentId: aws.String(unit), ChildType: orgtypes.ChildTypeOrganizationalUnit})
	for cp.HasMorePages() {
		page, err := cp.NextPage(ctx)
		if err != nil {
			return fail("sub-units", err)
		}
		for _, ch := range page.Children {
			if err := listUnit(ctx, c, top, aws.ToString(ch.Id), seen, out); err != nil {
				return err
			}
		}
	}
	return nil
}
