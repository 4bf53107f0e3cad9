// Command cloudlx-probe asks a CloudLX account the questions the API's docs leave
// open, and prints for each the answer it observed, the evidence, and what the
// provider does with that answer. It takes the provider's own settings:
//
//	cloudlx-probe -endpoint https://cloudlx.example.com -client-id ID   # secret from CLOUDLX_CLIENT_SECRET
//	cloudlx-probe -write -yes -json                                     # everything from CLOUDLX_* variables
//
// Read-only unless -write (confirmed by -yes or at its prompt): then it creates one
// customer named cloudlx-probe-<random>, answers the write questions on it and
// deletes it where the API allows (else it names the customer left behind).
//
// -json prints the answers as one JSON object, null where the probe could not tell:
//
//	{"token":      {"token_type": string, "expires_in": number, "json_accepted": bool, "form_accepted": bool},
//	 "list":       {"paginates": bool, "page_size_honoured": bool},
//	 "not_found":  {"status": number, "json_body": bool},
//	 "catalogues": {"realms_path": string, "sub_realms_path": string},
//	 "write":      {"patch_partial": bool, "arrays_replace": bool, "implicit_realms": [number],
//	                "currency_mutable": bool, "country_mutable": bool, "delete_supported": bool}}
//
// "write" is present only with -write. Exit status: 0 when it could answer, 1 for bad
// flags or settings, 2 when the endpoint cannot be reached, 3 when it cannot
// authenticate. No secret (client secret, access or refresh token) is ever printed.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/probe"
)

var version = "dev"

// Exit statuses.
const (
	exitOK = iota
	exitUsage
	exitUnreachable
	exitUnauthenticated
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("cloudlx-probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		endpoint     = fs.String("endpoint", "", "base URL of the portal (env CLOUDLX_ENDPOINT; default "+cloudlx.DefaultEndpoint+")")
		clientID     = fs.String("client-id", "", "OAuth2 client ID (env CLOUDLX_CLIENT_ID)")
		clientSecret = fs.String("client-secret", "", "OAuth2 client secret (env CLOUDLX_CLIENT_SECRET; prefer the variable: flags show in process listings)")
		accessToken  = fs.String("access-token", "", "an access token minted elsewhere, instead of client credentials (env CLOUDLX_ACCESS_TOKEN)")
		caFile       = fs.String("ca-certificates-file", "", "PEM file of CA certificates trusted beside the system pool (env CLOUDLX_CA_CERTIFICATES_FILE)")
		write        = fs.Bool("write", false, "also answer the write questions on one customer created for them (cloudlx-probe-<random>)")
		yes          = fs.Bool("yes", false, "with -write: do not ask for confirmation")
		asJSON       = fs.Bool("json", false, "print the answers as JSON")
		name         = fs.String("name", "", "with -write: the customer's name (default cloudlx-probe-<random>)")
		realms       = fs.String("realms", "", "with -write: comma-separated realm ids for the customer (default: from the catalogue)")
		subRealms    = fs.String("sub-realms", "", "with -write: comma-separated sub-realm ids (default: from the catalogue)")
		adminEmail   = fs.String("admin-email", "", "with -write: send the admin user fields with this email on create (only if the API requires them)")
		timeout      = fs.Duration("timeout", 5*time.Minute, "give up after this long")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "cloudlx-probe: "+format+"\n", a...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usage("unexpected arguments: %q", fs.Args())
	}
	fromEnv := func(v *string, env string) {
		if *v == "" {
			*v = getenv(env)
		}
	}
	fromEnv(endpoint, "CLOUDLX_ENDPOINT")
	fromEnv(accessToken, "CLOUDLX_ACCESS_TOKEN")
	fromEnv(caFile, "CLOUDLX_CA_CERTIFICATES_FILE")
	if *accessToken == "" || *clientID != "" || *clientSecret != "" {
		fromEnv(clientID, "CLOUDLX_CLIENT_ID")
		fromEnv(clientSecret, "CLOUDLX_CLIENT_SECRET")
	}
	if *endpoint == "" {
		*endpoint = cloudlx.DefaultEndpoint
	}
	realmIDs, err := parseIDs(*realms)
	if err != nil {
		return usage("-realms: %v", err)
	}
	subRealmIDs, err := parseIDs(*subRealms)
	if err != nil {
		return usage("-sub-realms: %v", err)
	}
	cfg := cloudlx.Config{
		Endpoint: *endpoint, ClientID: *clientID, ClientSecret: *clientSecret, AccessToken: *accessToken,
		UserAgent: "cloudlx-probe/" + version, MaxRetries: 3,
	}
	if err := withCACertificates(&cfg, *caFile); err != nil {
		return usage("%v", err)
	}
	client, err := cloudlx.New(cfg)
	if err != nil {
		return usage("%v (set -endpoint and either -client-id with CLOUDLX_CLIENT_SECRET, or CLOUDLX_ACCESS_TOKEN)", err)
	}
	red := client.Redactor()
	// From here on everything written to stderr may hold what the server said.
	stderr = redacting{w: stderr, red: red}

	if *write && !*yes && !confirm(stdin, stderr, *endpoint) {
		fmt.Fprintln(stderr, "cloudlx-probe: the write questions were not confirmed; nothing was sent")
		return exitUsage
	}

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	rep, err := probe.Run(ctx, probe.Config{
		Client: client, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, AccessToken: cfg.AccessToken,
		Write: *write, CustomerName: *name, Realms: realmIDs, SubRealms: subRealmIDs, AdminEmail: *adminEmail,
		Progress: stderr,
	})
	if err != nil {
		fmt.Fprintf(stderr, "cloudlx-probe: %s: %s\n", *endpoint, red.Redact(err.Error()))
		if probe.IsFailure(err, "unauthenticated") {
			return exitUnauthenticated
		}
		return exitUnreachable
	}
	if *asJSON {
		err = rep.WriteJSON(stdout)
	} else {
		mode := "read-only"
		if *write {
			mode = "with the write questions"
		}
		err = rep.WriteText(stdout, fmt.Sprintf("cloudlx-probe %s against %s (%s)", version, *endpoint, mode))
	}
	if err != nil {
		fmt.Fprintf(stderr, "cloudlx-probe: %v\n", err)
		return exitUsage
	}
	if rep.LeftBehind != "" {
		fmt.Fprintf(stderr, "cloudlx-probe: left behind: %s; remove it in the portal\n", rep.LeftBehind)
	}
	return exitOK
}

// redacting masks the client's secrets in each write (each Fprintf is one write).
type redacting struct {
	w   io.Writer
	red *cloudlx.Redactor
}

func (r redacting) Write(b []byte) (int, error) {
	if _, err := io.WriteString(r.w, r.red.Redact(string(b))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// confirm asks before the write questions create anything.
func confirm(stdin io.Reader, stderr io.Writer, endpoint string) bool {
	fmt.Fprintf(stderr, "-write creates one customer named cloudlx-probe-<random> on %s, changes it and deletes it if the API allows.\nType yes to go on: ", endpoint)
	line, _ := bufio.NewReader(stdin).ReadString('\n')
	return strings.EqualFold(strings.TrimSpace(line), "yes")
}

func parseIDs(s string) ([]int64, error) {
	var out []int64
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, err := strconv.ParseInt(part, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive id", part)
		}
		out = append(out, n)
	}
	return out, nil
}
