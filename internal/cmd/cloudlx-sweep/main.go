// Command cloudlx-sweep removes what the live acceptance suite (make test-live)
// left on an account: every customer whose name starts with "tf-acc-". It deletes
// them where the API has DELETE and lists them for removal in the portal where it
// has not. It never touches another customer. Settings come from CLOUDLX_ENDPOINT,
// CLOUDLX_CLIENT_ID and CLOUDLX_CLIENT_SECRET (or CLOUDLX_ACCESS_TOKEN), and
// CLOUDLX_CA_CERTIFICATES_FILE.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/acctest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Stdout, os.Getenv))
}

func run(ctx context.Context, out io.Writer, getenv func(string) string) int {
	endpoint := getenv("CLOUDLX_ENDPOINT")
	if endpoint == "" {
		endpoint = cloudlx.DefaultEndpoint
	}
	var caPEM []byte
	if file := getenv("CLOUDLX_CA_CERTIFICATES_FILE"); file != "" {
		var err error
		if caPEM, err = os.ReadFile(file); err != nil {
			fmt.Fprintf(out, "cloudlx-sweep: CLOUDLX_CA_CERTIFICATES_FILE: %v\n", err)
			return 1
		}
	}
	client, err := cloudlx.New(cloudlx.Config{Endpoint: endpoint, ClientID: getenv("CLOUDLX_CLIENT_ID"),
		ClientSecret: getenv("CLOUDLX_CLIENT_SECRET"), AccessToken: getenv("CLOUDLX_ACCESS_TOKEN"),
		CACertificates: caPEM, UserAgent: "cloudlx-sweep"})
	if err != nil {
		fmt.Fprintf(out, "cloudlx-sweep: %v (set CLOUDLX_ENDPOINT, CLOUDLX_CLIENT_ID and CLOUDLX_CLIENT_SECRET)\n", err)
		return 1
	}
	if _, err := acctest.Sweep(ctx, client, out); err != nil {
		fmt.Fprintf(out, "cloudlx-sweep: %s\n", client.Redactor().Redact(err.Error()))
		return 1
	}
	return 0
}
