//go:build tools

// Package tools pins the OpenTofu command so that go.mod and go.sum list
// exactly the packages needed to build it.
package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
