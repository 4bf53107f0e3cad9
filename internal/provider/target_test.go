package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/acctest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/probe"
)

// Live-capable acceptance tests are named TestAccLive_*. They check state and
// plans only (never the emulator's request log or store), so they run unchanged
// against the in-process emulator (make test) and against a live endpoint
// (make test-live: CLOUDLX_ACC_LIVE=1 with CLOUDLX_ENDPOINT, CLOUDLX_CLIENT_ID and
// CLOUDLX_CLIENT_SECRET). Against a live account they create customers named
// tf-acc-<random>-<test> only, and skip, with the probe's finding as the reason,
// what the account does not support.
const envAccLive = "CLOUDLX_ACC_LIVE"

// target is where a live-capable test's provider sends its requests.
type target struct {
	t        *testing.T
	live     bool
	endpoint string
	env      *testEnv // the in-process emulator; nil when live
	client   *cloudlx.Client
	facts    *accountFacts
}

// accountFacts is what the tests need to know about the account: the probe's
// answers and the ids to build customers from.
type accountFacts struct {
	answers   probe.Answers
	realms    []int64 // two or more, implicit realms included
	subRealms []int64 // possibly fewer than two
	implicit  []int64
}

var (
	liveOnce  sync.Once
	liveFacts *accountFacts
	liveErr   error
	runID     = randomHex()
)

func randomHex() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newTarget returns the live endpoint under make test-live, else a fresh
// in-process emulator private to the test.
func newTarget(t *testing.T) *target {
	t.Helper()
	tg := &target{t: t, live: os.Getenv(envAccLive) == "1"}
	creds := credentials{os.Getenv(envClientID), os.Getenv(envClientSecret), os.Getenv(envAccessToken)}
	if tg.live {
		tg.endpoint = os.Getenv(envEndpoint)
		if tg.endpoint == "" || (os.Getenv(envAccessToken) == "" && (os.Getenv(envClientID) == "" || os.Getenv(envClientSecret) == "")) {
			t.Fatalf("%s=1 needs %s and %s/%s (or %s)", envAccLive, envEndpoint, envClientID, envClientSecret, envAccessToken)
		}
	} else {
		tg.env = newTestEnv(t, emulator.Options{})
		tg.endpoint = tg.env.url
		creds = credentials{id: emulator.DefaultClientID, secret: emulator.DefaultClientSecret}
	}
	var caPEM []byte
	if file := os.Getenv(envCACertificatesFile); file != "" && tg.live {
		var err error
		if caPEM, err = os.ReadFile(file); err != nil {
			t.Fatalf("%s: %v", envCACertificatesFile, err)
		}
	}
	client, err := cloudlx.New(cloudlx.Config{Endpoint: tg.endpoint, ClientID: creds.id, ClientSecret: creds.secret,
		AccessToken: creds.token, CACertificates: caPEM, UserAgent: "terraform-provider-cloudlx-acctest"})
	if err != nil {
		t.Fatal(err)
	}
	tg.client = client
	if tg.live {
		liveOnce.Do(func() { liveFacts, liveErr = discover(client, creds) })
		tg.facts, err = liveFacts, liveErr
	} else {
		tg.facts, err = discover(client, creds) // the same questions, of this test's emulator
	}
	if err != nil {
		t.Fatalf("learning about the account: %v", client.Redactor().Redact(err.Error()))
	}
	return tg
}

// discover runs the probe, the write questions included, on a customer of the
// suite's own (tf-acc-<run>-probe), and picks the ids tests build customers from.
func discover(client *cloudlx.Client, creds credentials) (*accountFacts, error) {
	ctx := context.Background()
	realms, err := idsFromEnv("CLOUDLX_ACC_REALMS")
	if err != nil {
		return nil, err
	}
	subRealms, err := idsFromEnv("CLOUDLX_ACC_SUB_REALMS")
	if err != nil {
		return nil, err
	}
	if len(realms) == 0 {
		cat, err := client.ListRealms(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the realm catalogue (set CLOUDLX_ACC_REALMS to ids from the portal instead): %w", err)
		}
		for _, r := range cat {
			if r.ID != 1 && !strings.EqualFold(r.Name, "Default") && len(realms) < 2 {
				realms = append(realms, r.ID)
			}
		}
	}
	if len(subRealms) == 0 {
		if cat, err := client.ListSubRealms(ctx); err == nil {
			for _, s := range cat {
				if len(subRealms) < 2 {
					subRealms = append(subRealms, s.ID)
				}
			}
		}
	}
	if len(realms) < 2 {
		return nil, fmt.Errorf("the tests need two realms other than Default; the catalogue has %v (set CLOUDLX_ACC_REALMS)", realms)
	}
	rep, err := probe.Run(ctx, probe.Config{Client: client, ClientID: creds.id, ClientSecret: creds.secret,
		AccessToken: creds.token, Write: true, CustomerName: acctest.Prefix + runID + "-probe",
		Realms: realms, SubRealms: subRealms})
	if err != nil {
		return nil, err
	}
	f := &accountFacts{answers: rep.Answers, subRealms: subRealms}
	if w := rep.Answers.Write; w != nil {
		f.implicit = w.ImplicitRealms
	}
	f.realms = append(slices.Clone(realms), f.implicit...)
	return f, nil
}

type credentials struct{ id, secret, token string }

func idsFromEnv(name string) ([]int64, error) {
	var out []int64
	for _, part := range strings.Split(os.Getenv(name), ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%s: %q is not a positive id", name, part)
		}
		out = append(out, id)
	}
	return out, nil
}

// name is a customer name of this test on this run: tf-acc-<random>-<suffix>.
func (tg *target) name(suffix string) string { return acctest.Prefix + runID + "-" + suffix }

// providerBlock configures the provider: the emulator's address, or nothing
// at all against a live endpoint (the CLOUDLX_* variables configure it, so no
// secret is written into a test's configuration).
func (tg *target) providerBlock() string {
	if tg.env != nil {
		return tg.env.providerBlock()
	}
	return "\n" + cliProviderBlock("")
}

// realmList is the HCL list of the first n realms to use, implicit ones added.
func (tg *target) realmList(n int) string {
	ids := append(slices.Clone(tg.facts.realms[:n]), tg.facts.implicit...)
	return hclIDs(uniq(ids))
}

func uniq(ids []int64) []int64 {
	out := []int64{}
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func hclIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// requires skips the test unless the probe found the account behaves as needed.
func (tg *target) requires(answer *bool, what, finding string) {
	tg.t.Helper()
	switch {
	case answer == nil:
		tg.t.Skipf("needs %s; the probe could not tell (%s unknown)", what, finding)
	case !*answer:
		tg.t.Skipf("needs %s; the probe found %s = false on this account", what, finding)
	}
}

func (tg *target) writeAnswers() *probe.WriteAnswers {
	if w := tg.facts.answers.Write; w != nil {
		return w
	}
	return &probe.WriteAnswers{}
}

// ownedCustomer reads customer id and fails the test unless its name carries the
// suite's prefix: nothing here may touch a customer the suite did not create.
func (tg *target) ownedCustomer(id int64) *cloudlx.Customer {
	tg.t.Helper()
	c, err := tg.client.GetCustomer(context.Background(), id)
	if err != nil {
		tg.t.Fatalf("reading customer %d: %v", id, err)
	}
	if !acctest.Owned(c.Name) {
		tg.t.Fatalf("customer %d is %q, not one of the suite's (%s*): refusing to touch it", id, c.Name, acctest.Prefix)
	}
	return c
}
