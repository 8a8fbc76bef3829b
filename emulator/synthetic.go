package emulator

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// SyntheticSpec describes a generated seed: APIs APIs with Stages stages
// each, spread over Regions, derived deterministically from Seed.
type SyntheticSpec struct {
	APIs    int
	Stages  int
	Seed    int64
	Account string   // default DefaultAccount
	Regions []string // default us-east-1
	// Accounts > 0 makes an organization of that many accounts, each with
	// APIs APIs: Account is its management account, the members follow it
	// numerically, and every account has SyntheticMemberRole trusting the
	// management account.
	Accounts int
}

// SyntheticMemberRole is the role every account of a synthetic
// organization has, named like the one Organizations creates.
const SyntheticMemberRole = "OrganizationAccountAccessRole"

// ParseSyntheticSpec parses "apis=N,stages=S,seed=K", optionally with
// "account=123456789012", "regions=us-east-1+eu-west-1" and "accounts=N".
func ParseSyntheticSpec(s string) (SyntheticSpec, error) {
	spec := SyntheticSpec{Stages: 1, Account: DefaultAccount, Regions: []string{"us-east-1"}}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || v == "" {
			return SyntheticSpec{}, fmt.Errorf("synthetic spec %q: %q is not key=value; use apis=N,stages=S,seed=K", s, part)
		}
		if seen[k] {
			return SyntheticSpec{}, fmt.Errorf("synthetic spec %q: %s given twice", s, k)
		}
		seen[k] = true
		var err error
		switch k {
		case "apis":
			spec.APIs, err = strconv.Atoi(v)
		case "stages":
			spec.Stages, err = strconv.Atoi(v)
		case "seed":
			spec.Seed, err = strconv.ParseInt(v, 10, 64)
		case "accounts":
			spec.Accounts, err = strconv.Atoi(v)
			if err == nil && (spec.Accounts < 1 || spec.Accounts > 100000) {
				err = fmt.Errorf("must be between 1 and 100000")
			}
		case "account":
			if !isAccountID(v) {
				err = fmt.Errorf("account must be 12 digits")
			}
			spec.Account = v
		case "regions":
			spec.Regions = strings.Split(v, "+")
			for _, r := range spec.Regions {
				if !isRegion(r) {
					err = fmt.Errorf("%q is not a region name such as us-east-1", r)
				}
			}
		default:
			return SyntheticSpec{}, fmt.Errorf("synthetic spec %q: unknown key %q; use apis, stages, seed, account, regions, accounts", s, k)
		}
		if err != nil {
			return SyntheticSpec{}, fmt.Errorf("synthetic spec %q: bad %s %q: %w", s, k, v, err)
		}
	}
	if base, _ := strconv.ParseInt(spec.Account, 10, 64); base+int64(spec.Accounts) > 999999999999 {
		return SyntheticSpec{}, fmt.Errorf("synthetic spec %q: %d accounts from %s run past 999999999999; use a smaller account", s, spec.Accounts, spec.Account)
	}
	if !seen["apis"] {
		return SyntheticSpec{}, fmt.Errorf("synthetic spec %q: apis=N is required", s)
	}
	if spec.APIs < 0 || spec.Stages < 0 || spec.Stages > 1000 {
		return SyntheticSpec{}, fmt.Errorf("synthetic spec %q: apis must be >= 0 and stages between 0 and 1000", s)
	}
	return spec, nil
}

// Hostile strings that generated HCL must survive: template sequences,
// quotes, backslashes, newlines, non-ASCII.
var hostile = []string{
	`uses ${var.stage} and %{if true}x%{endif} literally`,
	`say "hello" to \path\to\thing`,
	"line one\nline two\ttabbed",
	"Zahlungsdienst – ünïcödé 日本語 🚀",
	`trailing backslash \`,
	`$${escaped} and %%{escaped}`,
}

var (
	nouns      = []string{"orders", "payments", "users", "inventory", "search", "billing", "chat", "notifications", "catalog", "auth"}
	stageNames = []string{"prod", "staging", "dev", "prod-v2", "prod_v2", "canary", "test", "qa", "Prod", "sandbox"}
)

// Synthetic generates a varied seed: both protocols, quick-create APIs,
// every optional attribute, hostile strings, 128-character names and names
// that collide once snake_cased. The same spec always yields the same seed.
func Synthetic(spec SyntheticSpec) *Seed {
	account := spec.Account
	if account == "" {
		account = DefaultAccount
	}
	if spec.Accounts > 0 {
		return syntheticOrg(spec, account)
	}
	return &Seed{Accounts: []AccountSeed{syntheticAccount(spec, account)}}
}

// syntheticOrg builds an organization with two units; members alternate
// between the root and the units so every listing path has accounts.
func syntheticOrg(spec SyntheticSpec, management string) *Seed {
	base, _ := strconv.ParseInt(management, 10, 64) // 12 digits, checked by the caller
	org := &OrgSeed{ID: "o-synthetic01", RootID: "r-syn1", ManagementAccount: management, Units: []UnitSeed{
		{ID: "ou-syn1-aaaaaaaa", Name: "workloads"},
		{ID: "ou-syn1-bbbbbbbb", Name: "sandbox", Parent: "ou-syn1-aaaaaaaa"},
	}}
	seed := &Seed{Organization: org}
	for i := range spec.Accounts {
		id := fmt.Sprintf("%012d", base+int64(i))
		sub := spec
		sub.Seed = spec.Seed + int64(i)
		acct := syntheticAccount(sub, id)
		acct.Name = fmt.Sprintf("member-%05d", i)
		if i == 0 {
			acct.Name = "management"
		} else if i%3 != 0 {
			acct.Parent = org.Units[i%3-1].ID
		}
		acct.Roles = []RoleSeed{{Name: SyntheticMemberRole, Trust: []string{management}}}
		seed.Accounts = append(seed.Accounts, acct)
	}
	return seed
}

func syntheticAccount(spec SyntheticSpec, account string) AccountSeed {
	regions := spec.Regions
	if len(regions) == 0 {
		regions = []string{"us-east-1"}
	}
	rng := rand.New(rand.NewPCG(uint64(spec.Seed), 0x73796e7468))
	acct := AccountSeed{ID: account, Regions: make([]RegionSeed, len(regions))}
	for i, r := range regions {
		acct.Regions[i] = RegionSeed{Name: r, APIs: make([]APISeed, 0, spec.APIs/len(regions)+1)}
	}
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	used := map[string]bool{}
	for i := range spec.APIs {
		id := randomID(rng, 10)
		for used[id] {
			id = randomID(rng, 10)
		}
		used[id] = true
		r := &acct.Regions[i%len(regions)]
		r.APIs = append(r.APIs, synthAPI(rng, i, id, spec.Stages, base.Add(time.Duration(i)*time.Minute)))
	}
	for i := range acct.Regions {
		synthAccountLevel(&acct.Regions[i], account, base)
	}
	return acct
}

// synthAccountLevel gives a region a VPC link per 50 APIs, which every
// 25th API's integration goes through, and a custom domain per 20 APIs,
// each mapping two HTTP APIs' first stages (the root and "v1"). It draws
// nothing from the APIs' random sequence, so their attributes stay those
// of earlier versions.
func synthAccountLevel(r *RegionSeed, account string, created time.Time) {
	if len(r.APIs) == 0 {
		return
	}
	for k := range max(1, len(r.APIs)/50) {
		// Ids are unique across regions, as API Gateway's random ones are.
		r.VPCLinks = append(r.VPCLinks, VPCLinkSeed{ID: shortID(r.Name)[:3] + fmt.Sprintf("%03d", k), Name: fmt.Sprintf("private-%d %s", k, hostile[k%len(hostile)]),
			SubnetIDs: []string{fmt.Sprintf("subnet-%017x", 2*k), fmt.Sprintf("subnet-%017x", 2*k+1)}, SecurityGroupIDs: []string{fmt.Sprintf("sg-%017x", k)},
			CreatedDate: created})
	}
	var mappable []*APISeed
	for i := range r.APIs {
		a := &r.APIs[i]
		if a.ProtocolType != protoHTTP || a.Target != nil || a.APIGatewayManaged {
			continue
		}
		if i%25 == 4 && len(a.Integrations) > 0 {
			x := &a.Integrations[0]
			link := r.VPCLinks[(i/25)%len(r.VPCLinks)].ID
			x.IntegrationType, x.IntegrationMethod, x.PayloadFormatVersion = ptr(integrationHTTPProxy), ptr("ANY"), nil
			x.IntegrationURI = ptr(fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:listener/app/private-%d/50dc6c495c0c9188/%016x", r.Name, account, i, i))
			x.ConnectionType, x.ConnectionID = ptr("VPC_LINK"), &link
		}
		if len(a.Stages) > 0 {
			mappable = append(mappable, a)
		}
	}
	for k := 0; k < len(r.APIs)/20 && 2*k+1 < len(mappable); k++ {
		d := DomainNameInput{
			DomainName: ptr(fmt.Sprintf("api-%d.%s.example.com", k, r.Name)),
			DomainNameConfigurations: []DomainNameConfiguration{{CertificateArn: fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%08x-0000-4000-8000-%012x", r.Name, account, k, k),
				EndpointType: endpointRegional, SecurityPolicy: tls12}},
			APIMappings: []APIMappingInput{
				{APIID: &mappable[2*k].ID, Stage: &mappable[2*k].Stages[0].Name},
				{APIID: &mappable[2*k+1].ID, Stage: &mappable[2*k+1].Stages[0].Name, APIMappingKey: ptr("v1")},
			},
		}
		if k%3 == 0 {
			d.MutualTLSAuthentication = &MutualTLS{TruststoreURI: fmt.Sprintf("s3://truststores-%s/domain-%d.pem", account, k)}
		}
		if k%2 == 0 {
			d.Tags = map[string]string{"note": hostile[k%len(hostile)]}
		}
		r.DomainNames = append(r.DomainNames, d)
	}
}

func randomID(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = idAlphabet[rng.IntN(len(idAlphabet))]
	}
	return string(b)
}

func ptr[T any](v T) *T { return &v }

func synthName(rng *rand.Rand, i int) string {
	noun := nouns[rng.IntN(len(nouns))]
	switch i % 10 {
	case 0:
		return "Orders API" // repeats on purpose: API names need not be unique
	case 1:
		return "orders-api" // same as "Orders API" once snake_cased
	case 2:
		return hostile[i/10%len(hostile)] + " " + strconv.Itoa(i)
	case 3:
		s := fmt.Sprintf("%s-%d-", noun, i)
		return s + strings.Repeat("x", 128-len(s)) // exactly 128 characters
	}
	return fmt.Sprintf("%s-service-%d", noun, i)
}

func synthAPI(rng *rand.Rand, i int, id string, nStages int, created time.Time) APISeed {
	a := APISeed{ID: id, Name: synthName(rng, i), ProtocolType: protoHTTP, CreatedDate: created}
	ws := i%4 == 3
	quick := !ws && i%7 == 5
	if ws {
		a.ProtocolType = protoWebSocket
		a.RouteSelectionExpression = ptr("$request.body.action")
		fn := ptr("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:chat-" + strconv.Itoa(i) + "/invocations")
		a.Integrations = []IntegrationInput{{ID: "wsbackend", IntegrationType: ptr(integrationAWSProxy), IntegrationURI: fn}}
		// WebSocket route keys are free text: one of them hostile.
		a.Routes = synthRoutes("integrations/wsbackend", "", "$connect", "$disconnect", "$default", "sendMessage", hostile[i%len(hostile)])
		synthWebSocketResponses(&a, i)
		if rng.IntN(2) == 0 {
			a.DisableSchemaValidation = true
		}
		if rng.IntN(3) == 0 {
			a.APIKeySelectionExpression = ptr("$context.authorizer.usageIdentifierKey")
		}
	} else {
		fn := ptr("arn:aws:lambda:us-east-1:123456789012:function:items-" + strconv.Itoa(i))
		a.Integrations = []IntegrationInput{{ID: "itemsfn", IntegrationType: ptr(integrationAWSProxy), IntegrationURI: fn, PayloadFormatVersion: ptr("2.0"),
			Description: ptr(hostile[i%len(hostile)])}}
		auth := ""
		if i%3 == 0 {
			auth = "jwtauth"
			a.Authorizers = []AuthorizerInput{{ID: auth, AuthorizerType: ptr(authorizerJWT), Name: ptr("cognito"),
				IdentitySource:   []string{"$request.header.Authorization"},
				JWTConfiguration: &JWTConfiguration{Audience: []string{"items-" + strconv.Itoa(i)}, Issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"}}}
		}
		a.Routes = synthRoutes("integrations/itemsfn", auth, "GET /items", "POST /items", "ANY /items/{proxy+}")
		if rng.IntN(2) == 0 {
			a.CorsConfiguration = &Cors{
				AllowCredentials: ptr(rng.IntN(2) == 0),
				AllowHeaders:     []string{"content-type", "x-amz-date"},
				AllowMethods:     []string{"GET", "POST"},
				AllowOrigins:     []string{"https://example.com", "https://app.example.com"},
				ExposeHeaders:    []string{"x-request-id"},
				MaxAge:           ptr(int32(rng.IntN(86400))),
			}
		}
		if rng.IntN(3) == 0 {
			a.IPAddressType = ptr("dualstack")
		}
	}
	if quick {
		a.Target = ptr("arn:aws:lambda:us-east-1:123456789012:function:quick-" + strconv.Itoa(i))
		a.Routes, a.Integrations, a.Authorizers = nil, nil, nil
	}
	if rng.IntN(2) == 0 {
		a.Description = ptr(hostile[rng.IntN(len(hostile))])
	}
	if rng.IntN(2) == 0 {
		a.Version = ptr("v" + strconv.Itoa(1+rng.IntN(9)))
	}
	a.DisableExecuteAPIEndpoint = rng.IntN(5) == 0
	// A few APIs are managed by another AWS service, which apigw2tf skips.
	a.APIGatewayManaged = i%50 == 49
	if rng.IntN(2) == 0 {
		a.Tags = map[string]string{"team": nouns[rng.IntN(len(nouns))], "cost-center": "cc-" + strconv.Itoa(rng.IntN(100)), "owner": "Zoë Müller"}
	}
	stages := nStages
	if quick && stages > 0 {
		stages-- // the managed $default stage counts towards the total
	}
	for j := range stages {
		a.Stages = append(a.Stages, synthStage(rng, &a, i, j, ws, created))
	}
	return a
}

// synthWebSocketResponses gives a WebSocket API a model its sendMessage
// route validates with, a response on that route and one on its backend
// integration, with hostile strings where they are free text.
func synthWebSocketResponses(a *APISeed, i int) {
	a.Models = []ModelInput{{ID: "msgmodel", Name: ptr("Message"), ContentType: ptr("application/json"),
		Description: ptr(hostile[(i+1)%len(hostile)]),
		Schema:      ptr(`{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","required":["action"]}`)}}
	send := &a.Routes[3]
	send.ModelSelectionExpression = ptr("$request.body.type")
	send.RequestModels = map[string]string{"$default": "Message"}
	send.RouteResponseSelectionExpression = ptr("$default")
	send.Responses = []RouteResponseInput{{ID: "sendresp", RouteResponseKey: ptr("$default"),
		ModelSelectionExpression: ptr("$default"), ResponseModels: map[string]string{"$default": "Message"}}}
	a.Integrations[0].Responses = []IntegrationResponseInput{{ID: "wsbackendresp", IntegrationResponseKey: ptr("$default"),
		ResponseTemplates: map[string]string{"$default": hostile[i%len(hostile)]}}}
}

// synthRoutes routes keys to target; with an authorizer, the first route
// needs a JWT from it.
func synthRoutes(target, authorizerID string, keys ...string) []RouteInput {
	out := make([]RouteInput, len(keys))
	for i, k := range keys {
		out[i] = RouteInput{RouteKey: ptr(k), Target: ptr(target)}
	}
	if authorizerID != "" {
		out[0].AuthorizationType, out[0].AuthorizerID = ptr(authJWT), ptr(authorizerID)
	}
	return out
}

func synthStage(rng *rand.Rand, a *APISeed, i, j int, ws bool, created time.Time) StageSeed {
	name := stageNames[(i+j)%len(stageNames)]
	if j >= len(stageNames) {
		name = "stage-" + strconv.Itoa(j)
	}
	s := StageSeed{Name: name, CreatedDate: created.Add(time.Duration(j) * time.Second), LastUpdatedDate: created.Add(time.Hour)}
	if rng.IntN(2) == 0 {
		s.Description = ptr(hostile[rng.IntN(len(hostile))])
	}
	if rng.IntN(3) == 0 {
		s.AutoDeploy = true
	} else if rng.IntN(2) == 0 {
		s.DeploymentID = randomID(rng, 6)
	}
	if rng.IntN(2) == 0 {
		s.AccessLogSettings = &AccessLogSettings{
			DestinationArn: fmt.Sprintf("arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigw/%s-%d:*", a.ID, j),
			Format:         `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","path":"$context.path"}`,
		}
	}
	if rng.IntN(2) == 0 {
		s.DefaultRouteSettings = &RouteSettings{
			DetailedMetricsEnabled: ptr(rng.IntN(2) == 0),
			ThrottlingBurstLimit:   ptr(int32(rng.IntN(5000))),
			ThrottlingRateLimit:    ptr(float64(rng.IntN(10000)) / 4),
		}
		if ws {
			s.DefaultRouteSettings.LoggingLevel = []string{"ERROR", "INFO", "OFF"}[rng.IntN(3)]
			s.DefaultRouteSettings.DataTraceEnabled = ptr(rng.IntN(2) == 0)
		}
	}
	if len(a.Routes) > 0 && rng.IntN(2) == 0 {
		key := *a.Routes[rng.IntN(len(a.Routes))].RouteKey
		rs := &RouteSettings{ThrottlingBurstLimit: ptr(int32(rng.IntN(100)))}
		if rng.IntN(2) == 0 {
			rs.ThrottlingRateLimit = ptr(float64(rng.IntN(100)) + 0.5)
		}
		if ws {
			rs.LoggingLevel = "INFO"
		}
		s.RouteSettings = map[string]*RouteSettings{key: rs}
	}
	if ws && rng.IntN(3) == 0 {
		s.ClientCertificateID = ptr(randomID(rng, 6))
	}
	if rng.IntN(2) == 0 {
		s.StageVariables = map[string]string{"backend": "https://backend.example.com/" + name, "lambdaAlias": "live"}
	}
	if rng.IntN(2) == 0 {
		s.Tags = map[string]string{"env": name, "note": "ünïcödé ok"}
	}
	return s
}
