# Written by a person after apigw2tf generate.
variable "stage_description" {
  type    = string
  default = "prod stage"
}

resource "aws_apigatewayv2_api" "shop" {
  name          = "shop"
  protocol_type = "HTTP"
  tags = {
    team = "web" # owner
    env  = "prod"
  }
}

resource "aws_apigatewayv2_stage" "shop_prod" {
  api_id      = aws_apigatewayv2_api.shop.id
  name        = "prod"
  description = var.stage_description # kept in a variable
  auto_deploy = true

  # Reviewed by the platform team.
  stage_variables = {
    backend = "https://backend.internal"
    mode    = "live"
  }
  tags = {
    team = "web"
  }

  access_log_settings {
    destination_arn = "arn:aws:logs:us-east-1:123456789012:log-group:shop"
    format          = "$context.requestId"
  }

  default_route_settings {
    detailed_metrics_enabled = true
    throttling_burst_limit   = 100 # agreed with the API owners
    throttling_rate_limit    = 50
  }

  route_settings {
    route_key              = "GET /items"
    throttling_burst_limit = 10
    throttling_rate_limit  = 5
  }
  route_settings {
    route_key              = "POST /items"
    throttling_burst_limit = 20
    throttling_rate_limit  = 10
  }
}

import {
  to = aws_apigatewayv2_stage.shop_old
  id = "abc123/old"
}

resource "aws_apigatewayv2_stage" "shop_old" {
  api_id = aws_apigatewayv2_api.shop.id
  name   = "old"
}
