// Command cloudlx-emulator serves the in-memory CloudLX API emulator
// (internal/emulator) over HTTP, for demos, benchmarks and manual testing.
//
//	cloudlx-emulator -listen 127.0.0.1:0 -addr-file /tmp/emu.addr -state-file /tmp/emu.json
//
// With -tls-cert and -tls-key it serves HTTPS instead, for testing the
// provider's ca_certificates against a certificate from a private CA.
//
// Besides the API under /api it serves the emulator's admin routes under /_emulator/
// (health, stats, reset-stats, requests, token). It logs one line per request to
// stderr: method, path, status and duration; never bodies, query strings or headers,
// since those carry client secrets and tokens.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	log.SetPrefix("cloudlx-emulator: ")
	if err := run(context.Background(), os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		log.Print(err)
		os.Exit(1)
	}
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// int64List is a repeatable positive integer flag.
type int64List []int64

func (l *int64List) String() string { return fmt.Sprint([]int64(*l)) }
func (l *int64List) Set(v string) error {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("want a positive integer id, got %q", v)
	}
	*l = append(*l, n)
	return nil
}

// run serves until ctx ends or the process gets SIGINT or SIGTERM.
func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("cloudlx-emulator", flag.ContinueOnError)
	var (
		listen      = fs.String("listen", "127.0.0.1:8787", "address to listen on (127.0.0.1:0 picks a free port)")
		addrFile    = fs.String("addr-file", "", "write the base URL (http://host:port, https:// with -tls-cert) to this file once listening")
		allowRemote = fs.Bool("allow-remote", false, "allow listening on a non-loopback address")
		tlsCert     = fs.String("tls-cert", "", "serve HTTPS with this PEM certificate (chain) file; needs -tls-key")
		tlsKey      = fs.String("tls-key", "", "the PEM private key of -tls-cert")
		opts        emulator.Options
		static      stringList
	)
	fs.StringVar(&opts.ClientID, "client-id", "", "accepted client_id (env CLOUDLX_EMULATOR_CLIENT_ID; default "+emulator.DefaultClientID+")")
	fs.StringVar(&opts.ClientSecret, "client-secret", "", "accepted client_secret (env CLOUDLX_EMULATOR_CLIENT_SECRET; default "+emulator.DefaultClientSecret+")")
	fs.Var(&static, "static-token", "an access token accepted forever (repeatable)")
	fs.DurationVar(&opts.TokenLifetime, "token-lifetime", emulator.DefaultTokenLifetime, "lifetime of minted access tokens")
	fs.DurationVar(&opts.Latency, "latency", 0, "delay added to every API request")
	fs.BoolVar(&opts.DisableDelete, "no-delete", false, "answer DELETE /api/customers/{id} with 405, as an API without DELETE")
	fs.IntVar(&opts.PageSize, "page-size", 0, "paginate lists with at most this many items per page (0: one page)")
	fs.StringVar(&opts.StatePath, "state-file", "", "load the store from this JSON file and save it there after every write")
	fs.Float64Var(&opts.RateLimit, "rate-limit", 0, "requests per second before 429s (0: unlimited)")
	fs.Float64Var(&opts.RateBurst, "rate-burst", 0, "with -rate-limit, requests allowed at once after a quiet spell (0: the rate, at least 1)")
	fs.Float64Var(&opts.FailureRate, "failure-rate", 0, "share (0..1) of API requests answered 500/502/503")
	fs.Float64Var(&opts.DropRate, "drop-rate", 0, "share (0..1) of API requests whose connection is closed unanswered")
	var faultRoutes stringList
	fs.Var(&faultRoutes, "fault-route", `limit -failure-rate and -drop-rate to this route, e.g. "GET /api/customers/{id}" (repeatable)`)
	fs.Int64Var(&opts.Seed, "seed", 0, "seed for random faults and quirks (0: time-based)")
	fs.BoolVar(&opts.Quirks, "quirks", false, "answer like another valid implementation (shuffled lists, extra fields)")
	fs.BoolVar(&opts.OmitRealmIDsOnCreate, "omit-realm-ids-on-create", false, "leave realm ids out of the create response, as the docs' example does")
	var gatewayRoutes stringList
	fs.Var(&gatewayRoutes, "gateway-404-route", `answer this route with a reverse proxy's HTML 404 page, e.g. "GET /api/customers/{id}" (repeatable)`)
	var implicitRealms int64List
	fs.Var(&implicitRealms, "implicit-realm", "add this realm id to every customer on create and PATCH, as an API with an implicit realm 1 would (repeatable)")
	fs.BoolVar(&opts.EchoRequests, "echo-requests", false, "echo the request (headers, Authorization included, and body) into every error answer, as a debug-mode server does")
	fs.BoolVar(&opts.ListIgnoresPage, "list-ignores-page", false, "answer the first page of a list whatever ?page asks for (with -page-size: num_results larger than a page)")
	neverAnswer := fs.Bool("never-answer", false, "accept connections and never answer them (no API at all): an endpoint that hangs")
	fs.BoolVar(&opts.IgnoreMaxPerPage, "ignore-max-per-page", false, "with -page-size, answer pages of -page-size items whatever max_per_page asks")
	fs.BoolVar(&opts.PatchMergesArrays, "patch-merges-arrays", false, "PATCH adds the ids sent in realms and the sub-realm lists to the stored ones instead of replacing them")
	fs.BoolVar(&opts.PatchSubRealmsTogether, "patch-sub-realms-together", false, "PATCH refuses one sub-realm list without the other: 422 on the missing one")
	fs.BoolVar(&opts.PatchRequiresAll, "patch-requires-all", false, "PATCH is a full update: 422 unless name, currency_iso, country_iso and realms are all sent")
	var lockedFields stringList
	fs.Var(&lockedFields, "locked-field", `refuse PATCHes that change this field after creation: "currency_iso" or "country_iso" (repeatable)`)
	fs.BoolVar(&opts.TokenFormOnly, "token-form-only", false, "the token endpoint reads form parameters only (a JSON body reads as none)")
	var extraCurrencies, extraCountries stringList
	fs.Var(&extraCurrencies, "accept-currency", "also accept this currency code, as a service would one ISO assigned after the provider's table (repeatable)")
	fs.Var(&extraCountries, "accept-country", "also accept this country code, e.g. XK (repeatable)")
	fs.StringVar(&opts.RealmsPath, "realms-path", emulator.DefaultRealmsPath, `path of the realm catalogue ("`+emulator.NoPath+`": none)`)
	fs.StringVar(&opts.SubRealmsPath, "sub-realms-path", emulator.DefaultSubRealmsPath, `path of the sub-realm catalogue, e.g. /api/sub_realms ("`+emulator.NoPath+`": none)`)
	fs.StringVar(&opts.Redirect.To, "redirect-to", "", "answer requests with a redirect to this base URL plus the request's path and query, "+
		"as a moved portal or a hostile proxy would (a client must not follow it)")
	fs.IntVar(&opts.Redirect.Status, "redirect-status", http.StatusFound, "the 3xx status of -redirect-to's redirects")
	var redirectRoutes, omitFields, nullFields, partialRoutes stringList
	fs.Var(&redirectRoutes, "redirect-route", `limit -redirect-to to this route, e.g. "POST /api/oauth2/access-token" (repeatable)`)
	fs.Var(&omitFields, "omit-field", "leave this field out of customer answers, a 200 that is not the whole customer: one of "+
		strings.Join(emulator.CustomerFields, ", ")+" (repeatable)")
	fs.Var(&nullFields, "null-field", "send this customer field as null in customer answers (repeatable; the fields of -omit-field)")
	fs.Var(&partialRoutes, "partial-route", `limit -omit-field and -null-field to this route's answers, e.g. "GET /api/customers/{id}" (repeatable)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, f := range append(slices.Clone(omitFields), nullFields...) {
		if !slices.Contains(emulator.CustomerFields, f) {
			return fmt.Errorf("-omit-field/-null-field %q: want one of %s", f, strings.Join(emulator.CustomerFields, ", "))
		}
	}
	if opts.Redirect.Status/100 != 3 {
		return fmt.Errorf("-redirect-status %d: want a 3xx status", opts.Redirect.Status)
	}
	opts.Redirect.Routes = redirectRoutes
	opts.PartialAnswers = emulator.PartialAnswers{Omit: omitFields, Null: nullFields, Routes: partialRoutes}
	for _, f := range lockedFields {
		if f != "currency_iso" && f != "country_iso" {
			return fmt.Errorf("-locked-field %q: want currency_iso or country_iso", f)
		}
	}
	opts.LockedFields = lockedFields
	opts.GatewayNotFoundRoutes = gatewayRoutes
	opts.ImplicitRealms = implicitRealms
	opts.ExtraCurrencies, opts.ExtraCountries = extraCurrencies, extraCountries
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	opts.StaticTokens = static
	opts.FaultRoutes = faultRoutes

	// Environment variables fill in credentials the flags did not give, so secrets can
	// stay out of process listings.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["client-id"] {
		opts.ClientID = os.Getenv("CLOUDLX_EMULATOR_CLIENT_ID")
	}
	if !set["client-secret"] {
		opts.ClientSecret = os.Getenv("CLOUDLX_EMULATOR_CLIENT_SECRET")
	}
	for name, v := range map[string]float64{"failure-rate": opts.FailureRate, "drop-rate": opts.DropRate} {
		if v < 0 || v > 1 {
			return fmt.Errorf("-%s must be between 0 and 1, got %g", name, v)
		}
	}
	if opts.RateLimit < 0 || opts.PageSize < 0 || opts.Latency < 0 || opts.TokenLifetime <= 0 {
		return errors.New("-rate-limit, -page-size and -latency must not be negative, -token-lifetime must be positive")
	}

	if (*tlsCert == "") != (*tlsKey == "") {
		return errors.New("-tls-cert and -tls-key go together: give both to serve HTTPS, or neither for HTTP")
	}
	var tlsConfig *tls.Config
	if *tlsCert != "" {
		// Loaded before listening, so a bad file fails at once rather than
		// after the address was announced.
		pair, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			return fmt.Errorf("-tls-cert/-tls-key: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	if !*allowRemote {
		if err := requireLoopback(*listen); err != nil {
			return err
		}
	}

	srv, err := emulator.Open(opts)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle(emulator.AdminPrefix, srv.AdminHandler())
	mux.Handle("/", srv)

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}
	base := scheme + "://" + ln.Addr().String()
	if *addrFile != "" {
		if err := writeFileAtomic(*addrFile, base); err != nil {
			ln.Close()
			return err
		}
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *neverAnswer {
		log.Printf("accepting connections on %s and never answering", base)
		silent := emulator.NewSilent(ln)
		<-ctx.Done()
		if *addrFile != "" {
			_ = os.Remove(*addrFile)
		}
		return silent.Close()
	}
	log.Printf("serving the CloudLX API on %s (client_id %q)", base, clientIDShown(opts.ClientID))

	hs := &http.Server{
		Handler:           accessLog(mux),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         tlsConfig,
		ErrorLog:          log.Default(),
	}
	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- hs.ServeTLS(ln, "", "")
			return
		}
		errc <- hs.Serve(ln)
	}()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal now kills the process the default way
	log.Print("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if *addrFile != "" {
		_ = os.Remove(*addrFile) // scripts waiting for the file must not find a dead address
	}
	return nil
}

func clientIDShown(id string) string {
	if id == "" {
		return emulator.DefaultClientID
	}
	return id
}

// requireLoopback refuses addresses other machines could reach: the emulator accepts
// well-known test credentials and its admin routes hand out tokens.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q is not a loopback address (use 127.0.0.1 or [::1]); pass -allow-remote to listen there anyway", addr)
}

// writeFileAtomic writes content via a temp file and a rename, so a script polling for
// the file never reads half an address.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// accessLog logs one line per request. The path only: query strings can carry
// credentials on the token route, and bodies and headers always might.
func accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &emulator.StatusRecorder{ResponseWriter: w}
		defer func() {
			status := "dropped"
			if sw.Status != 0 {
				status = fmt.Sprint(sw.Status)
			}
			log.Printf("%s %s %s %s", r.Method, printable(r.URL.Path), status, time.Since(start).Round(time.Microsecond))
		}()
		next.ServeHTTP(sw, r)
	})
}

// printable quotes a path that holds control characters (a decoded %0A), so that a
// request cannot forge log lines.
func printable(s string) string {
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return strconv.Quote(s)
		}
	}
	return s
}
