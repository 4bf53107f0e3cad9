// Command cloudlx-registry-stub serves a goreleaser dist directory (the
// snapshot `make release-check` builds, or a release's assets) as a Terraform
// provider registry over HTTPS on loopback, so that `terraform init` installs
// the provider the way users install it from the Terraform Registry: service
// discovery, the versions list, the download answer, then the zip, its
// SHA256SUMS and that file's signature, verified against the public key the
// answer carries.
//
//	cloudlx-registry-stub -dist dist -gpg-key key.asc -gpg-key-id 0123ABCD... \
//	  -tls-cert cert.pem -tls-key key.pem -addr-file registry.addr
//
// It writes the registry's host name (localhost:PORT) to -addr-file once it
// listens: the provider's source is then "localhost:PORT/cloudlx-community/cloudlx",
// and the CLI must trust the certificate (SSL_CERT_FILE on Linux). Registries
// are HTTPS only; Terraform refuses plain HTTP.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	log.SetPrefix("cloudlx-registry-stub: ")
	if err := run(context.Background(), os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		log.Print(err)
		os.Exit(1)
	}
}

// run serves until ctx ends or the process gets SIGINT or SIGTERM.
func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("cloudlx-registry-stub", flag.ContinueOnError)
	var (
		dist      = fs.String("dist", "dist", "goreleaser's dist directory: the zips, *_SHA256SUMS, *_SHA256SUMS.sig and *_manifest.json")
		listen    = fs.String("listen", "127.0.0.1:0", "loopback address to listen on (port 0 picks a free port)")
		addrFile  = fs.String("addr-file", "", "write the registry's host name (localhost:PORT) to this file once listening")
		tlsCert   = fs.String("tls-cert", "", "PEM certificate (chain) for localhost (required: registries are HTTPS only)")
		tlsKey    = fs.String("tls-key", "", "the PEM private key of -tls-cert")
		manifest  = fs.String("manifest", "terraform-registry-manifest.json", "the registry manifest, when dist lacks it under its release name (goreleaser leaves it out)")
		keyFile   = fs.String("gpg-key", "", "the ASCII-armoured GPG public key that signed the SHA256SUMS (required)")
		keyID     = fs.String("gpg-key-id", "", "that key's ID, as the registry lists it")
		namespace = fs.String("namespace", "cloudlx-community", "the provider's namespace")
		typ       = fs.String("type", "cloudlx", "the provider's type (terraform-provider-TYPE)")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if *tlsCert == "" || *tlsKey == "" || *keyFile == "" {
		return errors.New("-tls-cert, -tls-key and -gpg-key are required")
	}
	armor, err := os.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	reg, err := loadRegistry(*dist, *namespace, *typ, signingKey{ID: *keyID, ASCIIArmor: string(armor)}, *manifest)
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return fmt.Errorf("-listen %q: %w", *listen, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		// A stub for checks on this machine, never a registry for others.
		return fmt.Errorf("-listen %q: want a loopback address", *listen)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		_ = ln.Close()
		return fmt.Errorf("-listen %q: not a TCP address", *listen)
	}
	addr := fmt.Sprintf("localhost:%d", tcp.Port)
	srv := &http.Server{Handler: reg, ReadHeaderTimeout: 10 * time.Second}
	for v, rel := range reg.releases {
		log.Printf("serving %s/%s/%s v%s for %d platforms", addr, *namespace, *typ, v, len(rel.packages))
	}
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(addr), 0o600); err != nil {
			_ = ln.Close()
			return err
		}
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ServeTLS(ln, *tlsCert, *tlsKey) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}
