package main

import (
	"fmt"
	"os"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// withCACertificates is where -ca-certificates-file (CLOUDLX_CA_CERTIFICATES_FILE)
// reaches the client, as the provider's ca_certificates does: CA certificates
// trusted beside the system's (a private CA, a TLS-inspecting proxy).
func withCACertificates(cfg *cloudlx.Config, path string) error {
	if path == "" {
		return nil
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("-ca-certificates-file: %w", err)
	}
	if _, err := cloudlx.ParseCACertificates(pem); err != nil {
		return fmt.Errorf("-ca-certificates-file %s must hold the PEM text of one or more CA certificates, but %w", path, err)
	}
	cfg.CACertificates = pem
	return nil
}
