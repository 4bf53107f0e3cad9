// Command terraform-provider-cloudlx is the Terraform and OpenTofu provider for
// the CloudLX reseller platform.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/provider"
)

// version is set at release time by goreleaser (-X main.version=...).
var version = "dev"

// afterServe runs once the provider has stopped serving (a profiling build
// writes its profiles there).
var afterServe = func() {}

// A provider process lives for one Terraform walk and keeps little: the
// framework allocates per RPC and drops it. Go's default GOGC=100 then
// collects after every few hundred kilobytes, and collection was a fifth of
// the process's CPU. gcPercent trades heap for those cycles; memoryLimit makes
// the collector work harder again long before the heap could matter to the
// machine. GOGC or GOMEMLIMIT in the environment win.
const (
	gcPercent   = 400
	memoryLimit = 512 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if err := provider.DisableUnreadLogs(); err != nil {
		log.Fatal(err.Error())
	}
	tuneGC()
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/cloudlx-community/cloudlx",
		Debug:   debug,
	})
	afterServe()
	if err != nil {
		log.Fatal(err.Error())
	}
}
