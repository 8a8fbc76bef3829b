# Every attribute of both resource types that a user can set, across both
# protocols, applied against the emulator through the stand-in provider:
# the APIs (seed.yaml) are imported and updated, the stages created.
variable "endpoint" {
  type = string
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIDAPIGW2TFTEST"
  secret_key                  = "apigw2tf-test-secret"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    apigatewayv2 = var.endpoint
    sts          = var.endpoint
  }
}

import {
  to = aws_apigatewayv2_api.http
  id = "orders0001"
}

resource "aws_apigatewayv2_api" "http" {
  name                         = "orders-http"
  protocol_type                = "HTTP"
  description                  = "Orders \"public\" API: ${"$"}{not-interpolated}"
  version                      = "2024-01-01"
  disable_execute_api_endpoint = true
  cors_configuration {
    allow_credentials = true
    allow_headers     = ["authorization", "content-type"]
    allow_methods     = ["GET", "POST"]
    allow_origins     = ["https://example.com"]
    expose_headers    = ["x-request-id"]
    max_age           = 300
  }
  tags = {
    team = "orders"
    env  = "prod"
  }
}

resource "aws_apigatewayv2_stage" "http_prod" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "prod"
  description = "production"
  auto_deploy = true
  access_log_settings {
    destination_arn = "arn:aws:logs:us-east-1:123456789012:log-group:orders-access"
    format          = "$context.requestId $context.status"
  }
  default_route_settings {
    detailed_metrics_enabled = true
    throttling_burst_limit   = 100
    throttling_rate_limit    = 50.5
  }
  route_settings {
    route_key              = "GET /orders"
    throttling_burst_limit = 10
    throttling_rate_limit  = 5
  }
  route_settings {
    route_key                = "POST /orders"
    detailed_metrics_enabled = true
    throttling_burst_limit   = 20
    throttling_rate_limit    = 2.5
  }
  stage_variables = {
    backend = "orders.internal"
    mode    = "live"
  }
  tags = {
    tier = "gold"
  }
}

import {
  to = aws_apigatewayv2_api.ws
  id = "chatws0001"
}

resource "aws_apigatewayv2_api" "ws" {
  name                         = "chat-ws"
  protocol_type                = "WEBSOCKET"
  route_selection_expression   = "$request.body.action"
  api_key_selection_expression = "$context.authorizer.usageIdentifierKey"
  description                  = "chat"
}

resource "aws_apigatewayv2_stage" "ws_live" {
  api_id                = aws_apigatewayv2_api.ws.id
  name                  = "live"
  client_certificate_id = "abc123"
  default_route_settings {
    data_trace_enabled     = true
    logging_level          = "INFO"
    throttling_burst_limit = 5
    throttling_rate_limit  = 1
  }
  route_settings {
    route_key     = "$connect"
    logging_level = "ERROR"
  }
  description = "she said \"hi\"\nand left \\ ${"$"}{x} %%{y} ünï"
  stage_variables = {
    url = "https://chat.example.com/ws?x=1&y=2"
  }
}
