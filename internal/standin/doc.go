// Package standin is an offline stand-in for the hashicorp/aws provider
// (version 6.25) that serves aws_apigatewayv2_api and aws_apigatewayv2_stage
// against any API Gateway V2 endpoint, so that real engines can plan and
// apply configuration without the registry.
//
// The real provider is built on terraform-plugin-sdk/v2, and whether a
// generated configuration plans clean depends on SDKv2's value semantics:
// an unset optional string is stored as "", an unset bool as false, an
// optional attribute with a Default is planned with that default, and a null
// in configuration equals the zero value in state. terraform-plugin-framework
// stores and plans strictly by configuration instead, so this package
// reproduces SDKv2's semantics in each resource's ModifyPlan and Read, and
// its server marks plans and applies with UnsafeToUseLegacyTypeSystem, the
// flag every SDKv2 provider sends, so engines accept those plans exactly as
// they accept the real provider's.
package standin
