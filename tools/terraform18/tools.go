//go:build tools

// Package tools pins the Terraform 1.8 command so that go.mod and go.sum list
// exactly the packages needed to build it.
package tools

import _ "github.com/hashicorp/terraform"
