package emulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// OrgSeed makes the seed's accounts one AWS Organization. The management
// account (and any delegated administrator) may call the Organizations
// operations; every other member gets AccessDeniedException.
type OrgSeed struct {
	ID                string     `yaml:"id"`     // o- and 10 to 32 lowercase letters or digits
	RootID            string     `yaml:"rootId"` // r- and 4 to 32 lowercase letters or digits
	ManagementAccount string     `yaml:"managementAccount"`
	DelegatedAdmins   []string   `yaml:"delegatedAdmins,omitempty"`
	Units             []UnitSeed `yaml:"units,omitempty"`
}

// UnitSeed is an organizational unit. Parent is another unit's id, or
// empty for the root.
type UnitSeed struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	Parent string `yaml:"parent,omitempty"`
}

// RoleSeed is an IAM role STS AssumeRole can assume: Trust lists the
// accounts whose principals may assume it, and ExternalID, when set, must
// be passed exactly (the sts:ExternalId condition of a trust policy).
type RoleSeed struct {
	Name       string   `yaml:"name"`
	Trust      []string `yaml:"trust"`
	ExternalID string   `yaml:"externalId,omitempty"`
}

// Account statuses as Organizations reports them.
const (
	accountActive         = "ACTIVE"
	accountSuspended      = "SUSPENDED"
	accountPendingClosure = "PENDING_CLOSURE"
)

var (
	orgIDRE    = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	rootIDRE   = regexp.MustCompile(`^r-[a-z0-9]{4,32}$`)
	unitIDRE   = regexp.MustCompile(`^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$`)
	roleNameRE = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
)

// checkOrgSeed validates the organization section and the organization
// fields of every account, so a typo in a seed is an error at load time.
func checkOrgSeed(seed *Seed) error {
	seen := map[string]bool{}
	for ai, acct := range seed.Accounts {
		pos := seedPos{ai, -1, -1, -1}
		if !isAccountID(acct.ID) {
			return &seedError{pos, "id", fmt.Errorf("account id %q must be 12 digits", acct.ID)}
		}
		if seen[acct.ID] {
			return &seedError{pos, "id", fmt.Errorf("account id %s is listed twice", acct.ID)}
		}
		seen[acct.ID] = true
		switch acct.Status {
		case "", accountActive, accountSuspended, accountPendingClosure:
		default:
			return &seedError{pos, "status", fmt.Errorf("account status %q must be ACTIVE, SUSPENDED or PENDING_CLOSURE", acct.Status)}
		}
		for _, r := range acct.Roles {
			if !roleNameRE.MatchString(r.Name) {
				return &seedError{pos, "roles", fmt.Errorf("role name %q must be 1 to 64 letters, digits or +=,.@_-", r.Name)}
			}
			for _, t := range r.Trust {
				if !isAccountID(t) {
					return &seedError{pos, "roles", fmt.Errorf("role %s trusts %q, which is not a 12-digit account id", r.Name, t)}
				}
			}
			if r.ExternalID != "" && (len(r.ExternalID) < 2 || len(r.ExternalID) > 1224) {
				return &seedError{pos, "roles", fmt.Errorf("role %s: external id must be 2 to 1224 characters", r.Name)}
			}
		}
	}
	org := seed.Organization
	if org == nil {
		for ai, acct := range seed.Accounts {
			if acct.Parent != "" {
				return &seedError{seedPos{ai, -1, -1, -1}, "parent", fmt.Errorf("account %s names parent %q but the seed has no organization", acct.ID, acct.Parent)}
			}
		}
		return nil
	}
	switch {
	case !orgIDRE.MatchString(org.ID):
		return fmt.Errorf("organization.id %q must be o- and 10 to 32 lowercase letters or digits", org.ID)
	case !rootIDRE.MatchString(org.RootID):
		return fmt.Errorf("organization.rootId %q must be r- and 4 to 32 lowercase letters or digits", org.RootID)
	case !seen[org.ManagementAccount]:
		return fmt.Errorf("organization.managementAccount %q is not one of the seed's accounts", org.ManagementAccount)
	}
	for _, d := range org.DelegatedAdmins {
		if !seen[d] {
			return fmt.Errorf("organization.delegatedAdmins: %q is not one of the seed's accounts", d)
		}
	}
	units := map[string]bool{}
	for i, u := range org.Units {
		switch {
		case !unitIDRE.MatchString(u.ID):
			return fmt.Errorf("organization.units[%d]: id %q must look like ou-ab12-cd34ef56", i, u.ID)
		case units[u.ID]:
			return fmt.Errorf("organization.units[%d]: id %s is listed twice", i, u.ID)
		case u.Name == "":
			return fmt.Errorf("organization.units[%d]: name is required", i)
		case u.Parent != "" && !units[u.Parent]:
			return fmt.Errorf("organization.units[%d]: parent %q is not a unit listed before it", i, u.Parent)
		}
		units[u.ID] = true
	}
	for ai, acct := range seed.Accounts {
		if acct.Parent != "" && !units[acct.Parent] {
			return &seedError{seedPos{ai, -1, -1, -1}, "parent", fmt.Errorf("account %s: parent %q is not a unit of organization.units", acct.ID, acct.Parent)}
		}
	}
	return nil
}

// orgError is an Organizations error in the JSON 1.1 protocol.
type orgError struct {
	status  int
	code    string
	message string
	reason  string // InvalidInputException only
}

const orgTargetPrefix = "AWSOrganizationsV20161128."

// orgPageMax is Organizations' MaxResults limit for the list operations.
const orgPageMax = 20

// serveOrganizations answers the read-only Organizations operations
// apigw2tf uses, in the JSON 1.1 protocol: the operation comes from
// X-Amz-Target, errors carry their type in __type.
func (s *Server) serveOrganizations(w http.ResponseWriter, r *http.Request, cred credential, credErr error) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), orgTargetPrefix)
	s.count(op)
	out, e := s.orgOp(r, op, cred, credErr)
	if e != nil {
		body := map[string]string{"__type": e.code, "Message": e.message}
		if e.reason != "" {
			body["Reason"] = e.reason
		}
		b, _ := json.Marshal(body) // plain strings always marshal
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(e.status)
		_, _ = w.Write(b)
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		writeError(w, &apiError{status: http.StatusInternalServerError, code: "ServiceException", message: err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_, _ = w.Write(b)
}

type orgRequest struct {
	NextToken  *string `json:"NextToken"`
	MaxResults *int    `json:"MaxResults"`
	ParentId   *string `json:"ParentId"` //nolint:revive // the wire name
	ChildType  *string `json:"ChildType"`
}

func (s *Server) orgOp(r *http.Request, op string, cred credential, credErr error) (any, *orgError) {
	if credErr != nil {
		return nil, &orgError{http.StatusForbidden, "MissingAuthenticationTokenException", credErr.Error(), ""}
	}
	org := s.opts.Seed.organization()
	caller := s.accountFor(cred)
	if org == nil || !slices.ContainsFunc(s.opts.Seed.Accounts, func(a AccountSeed) bool { return a.ID == caller }) {
		return nil, &orgError{http.StatusBadRequest, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.", ""}
	}
	if caller != org.ManagementAccount && !slices.Contains(org.DelegatedAdmins, caller) {
		return nil, &orgError{http.StatusBadRequest, "AccessDeniedException",
			fmt.Sprintf("You don't have permissions to access this resource. Account %s is neither the management account nor a delegated administrator of %s.", caller, org.ID), ""}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, invalidInput("INPUT_REQUIRED", "reading request body: "+err.Error())
	}
	var in orgRequest
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, invalidInput("INVALID_SYNTAX_ORGANIZATION_ARN", "request body is not valid JSON: "+err.Error())
		}
	}
	accounts := func(keep func(AccountSeed) bool) []map[string]any {
		var out []map[string]any
		for _, a := range s.opts.Seed.Accounts {
			if keep(a) {
				out = append(out, s.orgAccount(org, a))
			}
		}
		return out
	}
	switch op {
	case "DescribeOrganization":
		return map[string]any{"Organization": map[string]any{
			"Id": org.ID, "Arn": "arn:aws:organizations::" + org.ManagementAccount + ":organization/" + org.ID,
			"FeatureSet": "ALL", "MasterAccountId": org.ManagementAccount,
			"MasterAccountArn":   orgAccountARN(org, org.ManagementAccount),
			"MasterAccountEmail": s.opts.Seed.account(org.ManagementAccount).email(),
		}}, nil
	case "ListRoots":
		roots := []map[string]any{{"Id": org.RootID, "Name": "Root", "PolicyTypes": []any{},
			"Arn": "arn:aws:organizations::" + org.ManagementAccount + ":root/" + org.ID + "/" + org.RootID}}
		return orgPage(in, "Roots", roots)
	case "ListAccounts":
		return orgPage(in, "Accounts", accounts(func(AccountSeed) bool { return true }))
	case "ListAccountsForParent":
		parent, e := checkParent(org, in.ParentId)
		if e != nil {
			return nil, e
		}
		return orgPage(in, "Accounts", accounts(func(a AccountSeed) bool { return a.Parent == parent }))
	case "ListChildren":
		parent, e := checkParent(org, in.ParentId)
		if e != nil {
			return nil, e
		}
		var children []map[string]any
		switch ct := strVal(in.ChildType); ct {
		case "ACCOUNT":
			for _, a := range s.opts.Seed.Accounts {
				if a.Parent == parent {
					children = append(children, map[string]any{"Id": a.ID, "Type": ct})
				}
			}
		case "ORGANIZATIONAL_UNIT":
			for _, u := range org.Units {
				if u.Parent == parent {
					children = append(children, map[string]any{"Id": u.ID, "Type": ct})
				}
			}
		default:
			return nil, invalidInput("INVALID_ENUM", fmt.Sprintf("ChildType %q must be ACCOUNT or ORGANIZATIONAL_UNIT.", ct))
		}
		return orgPage(in, "Children", children)
	}
	return nil, &orgError{http.StatusBadRequest, "UnknownOperationException", "the emulator serves no Organizations operation " + strconv.Quote(op), ""}
}

func strVal(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func invalidInput(reason, msg string) *orgError {
	return &orgError{http.StatusBadRequest, "InvalidInputException", msg, reason}
}

// checkParent resolves a ParentId: the root maps to "" (the Parent of
// accounts and units directly under it).
func checkParent(org *OrgSeed, id *string) (string, *orgError) {
	p := strVal(id)
	switch {
	case p == "":
		return "", invalidInput("INPUT_REQUIRED", "ParentId is required.")
	case p == org.RootID:
		return "", nil
	case !rootIDRE.MatchString(p) && !unitIDRE.MatchString(p):
		return "", invalidInput("INVALID_PATTERN", fmt.Sprintf("ParentId %q is neither a root id (r-...) nor an organizational unit id (ou-...).", p))
	case slices.ContainsFunc(org.Units, func(u UnitSeed) bool { return u.ID == p }):
		return p, nil
	}
	return "", &orgError{http.StatusBadRequest, "ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.", ""}
}

// orgPage serves one page of items under key. The token is the offset plus
// the list it belongs to, so a token of another list is refused.
func orgPage[T any](in orgRequest, key string, items []T) (any, *orgError) {
	size := orgPageMax
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > orgPageMax {
			return nil, invalidInput("MAX_VALUE_EXCEEDED", fmt.Sprintf("MaxResults %d must be between 1 and %d.", *in.MaxResults, orgPageMax))
		}
		size = *in.MaxResults
	}
	start := 0
	if tok := strVal(in.NextToken); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		k, n, ok := strings.Cut(string(raw), ":")
		off, aerr := strconv.Atoi(n)
		if err != nil || !ok || k != key || aerr != nil || off <= 0 || off > len(items) {
			return nil, invalidInput("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.")
		}
		start = off
	}
	end := min(start+size, len(items))
	out := map[string]any{key: append([]T{}, items[start:end]...)}
	if end < len(items) {
		out["NextToken"] = base64.RawURLEncoding.EncodeToString([]byte(key + ":" + strconv.Itoa(end)))
	}
	return out, nil
}

func (seed *Seed) organization() *OrgSeed {
	if seed == nil {
		return nil
	}
	return seed.Organization
}

func (seed *Seed) account(id string) *AccountSeed {
	if seed == nil {
		return nil
	}
	for i := range seed.Accounts {
		if seed.Accounts[i].ID == id {
			return &seed.Accounts[i]
		}
	}
	return nil
}

func (a *AccountSeed) email() string {
	if a.Email != "" {
		return a.Email
	}
	return "aws+" + a.ID + "@example.com"
}

func (a *AccountSeed) status() string {
	if a.Status == "" {
		return accountActive
	}
	return a.Status
}

func orgAccountARN(org *OrgSeed, id string) string {
	return "arn:aws:organizations::" + org.ManagementAccount + ":account/" + org.ID + "/" + id
}

func (s *Server) orgAccount(org *OrgSeed, a AccountSeed) map[string]any {
	name := a.Name
	if name == "" {
		name = "account-" + a.ID
	}
	joined := "CREATED"
	if a.ID == org.ManagementAccount {
		joined = "INVITED"
	}
	return map[string]any{
		"Id": a.ID, "Arn": orgAccountARN(org, a.ID), "Email": a.email(), "Name": name,
		"Status": a.status(), "State": a.status(), "JoinedMethod": joined,
		"JoinedTimestamp": defaultSeedTime.Unix(),
	}
}
