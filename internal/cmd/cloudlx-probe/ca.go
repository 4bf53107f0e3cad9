package main

import (
	"fmt"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// withCACertificates is where -ca-certificates-file (CLOUDLX_CA_CERTIFICATES_FILE)
// reaches the client, as the provider's ca_certificates does.
// TODO(ca_certificates): the client gains cloudlx.Config.CACertificates on another
// branch; read the file into it here once that is merged.
func withCACertificates(_ *cloudlx.Config, path string) error {
	if path == "" {
		return nil
	}
	return fmt.Errorf("-ca-certificates-file %q: this build's client cannot trust extra CA certificates yet", path)
}
