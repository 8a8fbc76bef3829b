// Command terraform-provider-aws is the stand-in hashicorp/aws provider
// plugin; tools/build.sh builds it with -X main.version=<pinned version>.
package main

import (
	"flag"
	"log"

	"github.com/apigw2tf/apigw2tf/internal/standin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

var version = "dev"

func main() {
	debug := flag.Bool("debug", false, "run with a debugger attached: print TF_REATTACH_PROVIDERS and wait")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if *debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve(standin.Address, standin.NewServer(version), opts...); err != nil {
		log.Fatal(err)
	}
}
