package discover

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// toAPI copies what generate and audit need from a GetApis item. Stages
// are filled in later. Timestamps are dropped so that unchanged accounts
// give identical inventories.
func toAPI(region string, a types.Api) inventory.API {
	return inventory.API{
		Region:                    region,
		ID:                        aws.ToString(a.ApiId),
		Name:                      aws.ToString(a.Name),
		ProtocolType:              string(a.ProtocolType),
		APIEndpoint:               aws.ToString(a.ApiEndpoint),
		Description:               aws.ToString(a.Description),
		Version:                   aws.ToString(a.Version),
		RouteSelectionExpression:  aws.ToString(a.RouteSelectionExpression),
		APIKeySelectionExpression: aws.ToString(a.ApiKeySelectionExpression),
		DisableExecuteAPIEndpoint: aws.ToBool(a.DisableExecuteApiEndpoint),
		DisableSchemaValidation:   aws.ToBool(a.DisableSchemaValidation),
		IPAddressType:             string(a.IpAddressType),
		CorsConfiguration:         toCors(a.CorsConfiguration),
		Tags:                      nonEmpty(a.Tags),
	}
}

func toCors(c *types.Cors) *inventory.Cors {
	if c == nil {
		return nil
	}
	return &inventory.Cors{
		AllowCredentials: aws.ToBool(c.AllowCredentials),
		AllowHeaders:     c.AllowHeaders,
		AllowMethods:     c.AllowMethods,
		AllowOrigins:     c.AllowOrigins,
		ExposeHeaders:    c.ExposeHeaders,
		MaxAge:           aws.ToInt32(c.MaxAge),
	}
}

// toStage copies a GetStages item. Present-but-empty blocks stay present:
// the provider reads them as blocks too, and generate must write what the
// provider will read.
func toStage(s types.Stage) inventory.Stage {
	st := inventory.Stage{
		Name:                 aws.ToString(s.StageName),
		Description:          aws.ToString(s.Description),
		AutoDeploy:           aws.ToBool(s.AutoDeploy),
		DeploymentID:         aws.ToString(s.DeploymentId),
		ClientCertificateID:  aws.ToString(s.ClientCertificateId),
		DefaultRouteSettings: toRouteSettingsPtr(s.DefaultRouteSettings),
		StageVariables:       nonEmpty(s.StageVariables),
		Tags:                 nonEmpty(s.Tags),
	}
	if s.AccessLogSettings != nil {
		st.AccessLogSettings = &inventory.AccessLogSettings{
			DestinationARN: aws.ToString(s.AccessLogSettings.DestinationArn),
			Format:         aws.ToString(s.AccessLogSettings.Format),
		}
	}
	for key, rs := range s.RouteSettings {
		st.RouteSettings = append(st.RouteSettings, inventory.RouteSetting{RouteKey: key, RouteSettings: toRouteSettings(rs)})
	}
	return st
}

func toRouteSettingsPtr(rs *types.RouteSettings) *inventory.RouteSettings {
	if rs == nil {
		return nil
	}
	out := toRouteSettings(*rs)
	return &out
}

func toRouteSettings(rs types.RouteSettings) inventory.RouteSettings {
	return inventory.RouteSettings{
		DataTraceEnabled:       rs.DataTraceEnabled,
		DetailedMetricsEnabled: rs.DetailedMetricsEnabled,
		LoggingLevel:           string(rs.LoggingLevel),
		ThrottlingBurstLimit:   rs.ThrottlingBurstLimit,
		ThrottlingRateLimit:    rs.ThrottlingRateLimit,
	}
}

// nonEmpty returns nil for an empty map so that the inventory omits it.
// The SDK decodes a fresh map per response, so it is not copied.
func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}
