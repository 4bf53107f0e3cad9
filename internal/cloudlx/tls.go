package cloudlx

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/go-cleanhttp"
)

// newTransport is the pooled transport every request goes through. It trusts
// the system's CA pool plus caPEM (the CAs of a private PKI or of a
// TLS-inspecting proxy), and it sends requests through the proxy that
// HTTPS_PROXY, HTTP_PROXY and NO_PROXY name (cleanhttp's transport uses
// http.ProxyFromEnvironment). Certificates are always verified.
func newTransport(caPEM []byte) (*http.Transport, error) {
	t := cleanhttp.DefaultPooledTransport()
	// Terraform runs up to 10 (or -parallelism) operations at once; keep
	// their connections instead of reopening one per request.
	t.MaxIdleConnsPerHost = 64
	if len(bytes.TrimSpace(caPEM)) == 0 {
		return t, nil
	}
	extra, err := ParseCACertificates(caPEM)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		// No system pool (it is unreadable): the configured CAs alone.
		pool = x509.NewCertPool()
	}
	for _, c := range extra {
		pool.AddCert(c)
	}
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return t, nil
}

// ParseCACertificates decodes PEM text holding one or more CA certificates.
// Anything else in it (a key, a certificate request, text that is not PEM)
// is an error saying what was found, so a wrong file is caught before any
// request rather than showing up as an untrusted certificate later.
func ParseCACertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := bytes.TrimSpace(data)
	for n := 1; len(rest) > 0; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		rest = bytes.TrimSpace(rest)
		if block == nil {
			if n == 1 {
				return nil, errors.New("it holds no PEM block: expected one or more \"-----BEGIN CERTIFICATE-----\" blocks")
			}
			return nil, fmt.Errorf("after %d certificate(s) it holds text that is not a PEM block", len(certs))
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("PEM block %d is a %q, not a CERTIFICATE: give the CA's certificate, never a key", n, block.Type)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("PEM block %d is not a valid certificate: %w", n, err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, errors.New("it is empty: expected one or more \"-----BEGIN CERTIFICATE-----\" blocks")
	}
	return certs, nil
}

// TLSError is a server certificate that failed verification. Nothing reached
// the server: the connection ended in the handshake, so even a create is
// certain not to have happened, and no retry can help.
type TLSError struct {
	Host string // host:port as dialled
	Err  error
}

func (e *TLSError) Error() string {
	return fmt.Sprintf("the TLS certificate of %s could not be verified: %s (%v)", e.Host, e.Problem(), e.Err)
}

func (e *TLSError) Unwrap() error { return e.Err }

// Problem says in words what was wrong with the certificate.
func (e *TLSError) Problem() string {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(e.Err, &unknownAuthority):
		return "it is signed by a certificate authority that is not trusted here"
	case errors.As(e.Err, &hostname):
		return "it is not issued for this host name"
	case errors.As(e.Err, &invalid) && invalid.Reason == x509.Expired:
		return "it has expired or is not valid yet"
	case errors.As(e.Err, &invalid):
		return "it is not valid"
	}
	return "verification failed"
}

// asTLSError returns err as a *TLSError when it is a certificate
// verification failure, and nil otherwise.
func asTLSError(host string, err error) *TLSError {
	var verify *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &verify):
		return &TLSError{Host: host, Err: verify}
	case errors.As(err, &unknownAuthority):
		return &TLSError{Host: host, Err: unknownAuthority}
	case errors.As(err, &hostname):
		return &TLSError{Host: host, Err: hostname}
	case errors.As(err, &invalid):
		return &TLSError{Host: host, Err: invalid}
	}
	return nil
}
