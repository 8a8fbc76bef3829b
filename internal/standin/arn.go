package standin

import (
	"fmt"
	"strings"
)

// partition is the AWS partition a region belongs to.
type partition struct {
	id        string
	dnsSuffix string
}

// partitionOf mirrors the provider's lookup by region prefix; only the
// partitions whose names differ from "aws" need an entry.
func partitionOf(region string) partition {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return partition{"aws-cn", "amazonaws.com.cn"}
	case strings.HasPrefix(region, "us-gov-"):
		return partition{"aws-us-gov", "amazonaws.com"}
	case strings.HasPrefix(region, "us-isob-"):
		return partition{"aws-iso-b", "sc2s.sgov.gov"}
	case strings.HasPrefix(region, "us-iso-"):
		return partition{"aws-iso", "c2s.ic.gov"}
	case strings.HasPrefix(region, "eu-isoe-"):
		return partition{"aws-iso-e", "cloud.adc-e.uk"}
	case strings.HasPrefix(region, "us-isof-"):
		return partition{"aws-iso-f", "csp.hci.ic.gov"}
	default:
		return partition{"aws", "amazonaws.com"}
	}
}

func apiARN(region, apiID string) string {
	return fmt.Sprintf("arn:%s:apigateway:%s::/apis/%s", partitionOf(region).id, region, apiID)
}

// apiExecutionARN has an empty account field when the provider was told not
// to request the account id, as the real provider's does.
func apiExecutionARN(region, account, apiID string) string {
	return fmt.Sprintf("arn:%s:execute-api:%s:%s:%s", partitionOf(region).id, region, account, apiID)
}

func stageARN(region, apiID, stage string) string {
	return fmt.Sprintf("arn:%s:apigateway:%s::/apis/%s/stages/%s", partitionOf(region).id, region, apiID, stage)
}

func stageExecutionARN(region, account, apiID, stage string) string {
	return fmt.Sprintf("arn:%s:execute-api:%s:%s:%s/%s", partitionOf(region).id, region, account, apiID, stage)
}

// stageInvokeURL follows the provider's APIGatewayV2InvokeURL: WebSocket
// stages use wss://, and an HTTP API's $default stage is served at the root.
func stageInvokeURL(region, protocolType, apiID, stage string) string {
	host := fmt.Sprintf("%s.execute-api.%s.%s", apiID, region, partitionOf(region).dnsSuffix)
	switch {
	case protocolType == "WEBSOCKET":
		return fmt.Sprintf("wss://%s/%s", host, stage)
	case stage == "$default":
		return fmt.Sprintf("https://%s/", host)
	default:
		return fmt.Sprintf("https://%s/%s", host, stage)
	}
}

func domainNameARN(region, name string) string {
	return fmt.Sprintf("arn:%s:apigateway:%s::/domainnames/%s", partitionOf(region).id, region, name)
}

func vpcLinkARN(region, id string) string {
	return fmt.Sprintf("arn:%s:apigateway:%s::/vpclinks/%s", partitionOf(region).id, region, id)
}
