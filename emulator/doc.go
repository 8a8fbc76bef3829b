// Package emulator is a local Amazon API Gateway V2 control plane. It speaks
// the REST-JSON wire protocol of the apigatewayv2 operations apigw2tf uses
// (GetApis, GetApi, CreateApi, UpdateApi, DeleteApi, DeleteCorsConfiguration,
// GetStages, GetStage, CreateStage, UpdateStage, DeleteStage,
// DeleteAccessLogSettings, DeleteRouteSettings, Get/Create/Update/Delete of
// routes, integrations and authorizers (GetRoutes, GetIntegrations,
// GetAuthorizers to list them), of a WebSocket API's models and route and
// integration responses (GetModels, GetRouteResponses per route,
// GetIntegrationResponses per integration), CreateDeployment, GetDeployments, GetTags,
// TagResource, UntagResource), STS GetCallerIdentity and AssumeRole (query
// protocol), and the read-only Organizations operations ListAccounts,
// ListRoots, ListChildren, ListAccountsForParent and DescribeOrganization
// (JSON 1.1, X-Amz-Target, paginated), so every other package is tested
// against the same bytes AWS sends.
//
// A seed with an organization: section makes its accounts one
// organization; its management account (and delegated administrators) may
// list it. AssumeRole grants a seeded role when the caller's account is in
// the role's trust list and the external id matches, and returns
// credentials whose access key id is the role's account, so requests
// signed with them land in that account.
//
// Clients reach it like AWS: any SDK or the AWS CLI with the endpoint set to
// the server's URL and dummy static credentials. The region comes from the
// SigV4 credential scope; each account and region has its own store. An
// access key id of 12 digits selects that account, any other key the
// configured one.
//
// Semantics follow AWS where apigw2tf depends on them: defaults AWS fills
// in, quick create (a managed integration, route and auto-deploying $default
// stage), route targets and authorizers that must exist and fit the route's
// authorization type, models that routes and route responses name by name
// (WebSocket only), deletes refused while a route uses what is deleted, PATCH
// updates that merge route settings and remove stage variables set to "",
// route settings only for existing routes, no execution logs on HTTP APIs,
// unset members omitted rather than sent as empty objects, and opaque page
// tokens that name the last item served, so paging stays correct while
// items are created and deleted.
//
// Faults are off by default and deterministic under Options.FaultSeed: a
// token-bucket quota per account and region (429 TooManyRequestsException),
// injected 429/500/503, latency with jitter, and AccessDeniedException for
// chosen regions. GET /_emulator/stats returns request counts; POST
// /_emulator/reset restores the seed; both answer only loopback callers (Host
// and Origin), so a web page cannot drive them through DNS rebinding.
package emulator
