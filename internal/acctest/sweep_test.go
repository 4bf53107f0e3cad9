package acctest

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

func sweepEmulator(t *testing.T, opts emulator.Options) (SweepResult, string, *emulator.Server) {
	t.Helper()
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	for _, name := range []string{"tf-acc-a1b2-lifecycle", "Not Ours Ltd", "tf-acc-c3d4-data", "atf-acc-lookalike"} {
		if _, err := emu.CreateCustomer(emulator.CustomerInput{Name: name, CurrencyISO: "EUR", CountryISO: "DE", Realms: []int64{2}}); err != nil {
			t.Fatal(err)
		}
	}
	client, err := cloudlx.New(cloudlx.Config{Endpoint: srv.URL, ClientID: emulator.DefaultClientID, ClientSecret: emulator.DefaultClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	res, err := Sweep(context.Background(), client, &out)
	if err != nil {
		t.Fatal(err)
	}
	return res, out.String(), emu
}

// Only the suite's own customers are read one by one and deleted.
func TestSweepDeletesOnlyPrefixed(t *testing.T) {
	res, out, emu := sweepEmulator(t, emulator.Options{})
	if len(res.Deleted) != 2 || len(res.Left) != 0 {
		t.Fatalf("deleted %v, left %v:\n%s", res.Deleted, res.Left, out)
	}
	var names []string
	for _, c := range emu.Customers() {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "Not Ours Ltd,atf-acc-lookalike" {
		t.Errorf("after the sweep the emulator holds %v", names)
	}
	for _, r := range emu.Requests() {
		if r.Route == "GET /api/customers/{id}" || r.Route == "DELETE /api/customers/{id}" {
			if r.Path != "/api/customers/1000" && r.Path != "/api/customers/1002" {
				t.Errorf("the sweep sent %s %s, which is not one of the suite's customers", r.Method, r.Path)
			}
		}
	}
}

func TestSweepWithoutDeleteListsForThePortal(t *testing.T) {
	res, out, emu := sweepEmulator(t, emulator.Options{DisableDelete: true})
	if len(res.Deleted) != 0 || len(res.Left) != 2 || len(emu.Customers()) != 4 {
		t.Fatalf("deleted %v, left %v, %d customers:\n%s", res.Deleted, res.Left, len(emu.Customers()), out)
	}
	for _, want := range []string{"no DELETE (405)", "to remove in the portal: tf-acc-a1b2-lifecycle (id 1000)", "to remove in the portal: tf-acc-c3d4-data (id 1002)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	deletes := 0
	for _, r := range emu.Requests() {
		if r.Method == "DELETE" {
			deletes++
		}
	}
	if deletes != 1 {
		t.Errorf("%d DELETEs sent; one 405 says the API has none", deletes)
	}
}
