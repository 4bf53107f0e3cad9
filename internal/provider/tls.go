package provider

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// caCertificatesFrom returns the PEM of the extra CAs to trust: the
// ca_certificates attribute, else the file CLOUDLX_CA_CERTIFICATES_FILE
// names, else none. PEM that holds anything but certificates is an error
// naming where it came from, at configure time, before any request.
func caCertificatesFrom(attr types.String, diags *diag.Diagnostics) []byte {
	if !attr.IsNull() {
		pem := []byte(attr.ValueString())
		if _, err := cloudlx.ParseCACertificates(pem); err != nil {
			diags.AddAttributeError(path.Root("ca_certificates"), "Invalid ca_certificates",
				fmt.Sprintf("ca_certificates must be the PEM text of one or more CA certificates (\"-----BEGIN CERTIFICATE-----\" "+
					"blocks), usually read with file(\"ca.pem\"), but %s.", err))
			return nil
		}
		return pem
	}
	file := os.Getenv(envCACertificatesFile)
	if file == "" {
		return nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		diags.AddAttributeError(path.Root("ca_certificates"), "Unreadable "+envCACertificatesFile,
			fmt.Sprintf("%s names the file of CA certificates to trust, but it cannot be read: %s. Point it at a PEM file, "+
				"or unset it.", envCACertificatesFile, err))
		return nil
	}
	if _, err := cloudlx.ParseCACertificates(pem); err != nil {
		diags.AddAttributeError(path.Root("ca_certificates"), "Invalid "+envCACertificatesFile,
			fmt.Sprintf("%s names %s, which must hold the PEM text of one or more CA certificates, but %s.",
				envCACertificatesFile, file, err))
		return nil
	}
	return pem
}

// tlsFailureDetail explains a certificate that failed verification: which
// host, what was wrong, and the fix. It is the one place that says so, for
// every operation.
func tlsFailureDetail(err error) (string, bool) {
	var tlsErr *cloudlx.TLSError
	if !errors.As(err, &tlsErr) {
		return "", false
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The provider did not connect to %s: the TLS certificate it presented could not be verified, because %s.\n\n",
		tlsErr.Host, tlsErr.Problem())
	b.WriteString("If the API is reached through a TLS-inspecting proxy, or its certificate is issued by a private CA, " +
		"give the provider that CA's certificate with ca_certificates (for example ca_certificates = file(\"corporate-ca.pem\")) " +
		"or the " + envCACertificatesFile + " environment variable; it is trusted in addition to the system's CAs. ")
	if errors.As(err, new(x509.HostnameError)) {
		b.WriteString("Also check that endpoint names the host the certificate is issued for. ")
	}
	b.WriteString("Certificate verification cannot be turned off.\n\n")
	b.WriteString(err.Error())
	return b.String(), true
}
