// Command terraform-provider-cloudlx is the Terraform and OpenTofu provider for
// the CloudLX reseller platform.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/provider"
)

// version is set at release time by goreleaser (-X main.version=...).
var version = "dev"

// afterServe runs once the provider has stopped serving (a profiling build
// writes its profiles there).
var afterServe = func() {}

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if err := provider.DisableUnreadLogs(); err != nil {
		log.Fatal(err.Error())
	}
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/cloudlx-community/cloudlx",
		Debug:   debug,
	})
	afterServe()
	if err != nil {
		log.Fatal(err.Error())
	}
}
