// Package standin is an offline stand-in for the hashicorp/aws provider
// (version 6.25) that serves aws_apigatewayv2_api and aws_apigatewayv2_stage
// against any API Gateway V2 endpoint, so that real engines can plan and
// apply configuration without the registry.
//
// Like the real resources it is written on terraform-plugin-sdk/v2 and served
// over protocol 5, so what decides whether a configuration plans clean (""
// for an unset string, false for an unset bool, Defaults, set hashes, the
// legacy type system flag, what an apply stores) comes from the same library
// the real provider runs on. FACTS.md lists what was taken from the real
// provider's source, and where.
package standin
