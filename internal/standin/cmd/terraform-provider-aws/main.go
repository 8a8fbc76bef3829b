// Command terraform-provider-aws is the stand-in hashicorp/aws provider
// plugin. Protocol 5 carries no provider version: engines take it from the
// filesystem mirror's directory names, which tools/build.sh writes.
package main

import (
	"flag"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/plugin"

	"github.com/apigw2tf/apigw2tf/internal/standin"
)

func main() {
	debug := flag.Bool("debug", false, "run with a debugger attached: print TF_REATTACH_PROVIDERS and wait")
	flag.Parse()
	plugin.Serve(&plugin.ServeOpts{
		ProviderFunc: func() *schema.Provider { return standin.Provider() },
		ProviderAddr: standin.Address,
		Debug:        *debug,
	})
}
