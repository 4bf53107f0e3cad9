package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

func TestLifecycleDiagnostics(t *testing.T) {
	lost := errors.New("POST https://portal.example/api/customers: connection reset")
	twins := []cloudlx.Customer{{ID: 916, Name: "Acme Ltd"}, {ID: 915, Name: "Acme Ltd"}}
	for name, tc := range map[string]struct {
		got  diag.Diagnostic
		want wantDiagnostic
	}{
		"abandon at plan": {customerWillBeAbandoned("Acme Ltd", 915), wantDiagnostic{
			diag.SeverityWarning, "", "Destroying this CloudLX customer leaves it in CloudLX",
			"Customer \"Acme Ltd\" (id 915) has deletion_policy = \"ABANDON\", so destroying it sends nothing to CloudLX: the " +
				"customer remains in CloudLX (and in its billing) and is only removed from Terraform state. To delete it in " +
				"CloudLX instead, set deletion_policy = \"DELETE\" and apply that before destroying. To manage it again later, " +
				"import it by its id, 915.",
		}},
		"abandon at apply": {customerAbandoned("Acme Ltd", 915), wantDiagnostic{
			diag.SeverityWarning, "", "CloudLX customer left in CloudLX",
			"Customer \"Acme Ltd\" (id 915) has deletion_policy = \"ABANDON\": it was removed from Terraform state only, no " +
				"request was sent, and it remains in CloudLX. To manage it with Terraform again, import it:\n" +
				"  terraform import <resource address> 915",
		}},
		"prevent": {customerDestroyPrevented("Acme Ltd", 915), wantDiagnostic{
			diag.SeverityError, "", "CloudLX customer is protected from destroy",
			"Customer \"Acme Ltd\" (id 915) has deletion_policy = \"PREVENT\" in Terraform state, so Terraform refuses to " +
				"destroy it, and nothing was sent to CloudLX. A customer is a billing relationship.\n\n" +
				"To destroy it, first set deletion_policy = \"DELETE\" (the destroy deletes it in CloudLX) or \"ABANDON\" (the " +
				"destroy leaves it in CloudLX and only removes it from Terraform state) in its resource block, and apply that " +
				"change; then destroy it.\n\n" +
				"To stop managing it with Terraform without destroying it, replace its resource block with a removed block " +
				"(Terraform 1.7 and later):\n  removed {\n    from = <resource address>\n    lifecycle {\n      destroy = false\n" +
				"    }\n  }",
		}},
		"name taken": {nameTaken("Acme Ltd", twins[1:]), wantDiagnostic{
			diag.SeverityError, "name", "A CloudLX customer with this name already exists",
			"CloudLX already has a customer named \"Acme Ltd\": id 915. Creating this resource would make another customer " +
				"of that name (a customer is a billing relationship), so the plan stops here and nothing is sent to CloudLX.\n\n" +
				"To manage the existing customer with Terraform, import it instead of creating it: add an import block next to " +
				"the resource, with \"to\" set to this resource's address (shown with this error), and plan again:\n" +
				"  import {\n    to = <resource address>\n    id = \"915\"\n  }\n" +
				"or run: terraform import <resource address> 915\n\n" +
				"If this configuration already manages that customer under another address (a renamed resource or for_each " +
				"key), add a moved block from the old address to the new one instead. If another customer named \"Acme Ltd\" " +
				"is really intended, set allow_duplicate_name = true on this resource.",
		}},
		"name created twice": {nameCreatedTwice("Acme Ltd", true), wantDiagnostic{
			diag.SeverityError, "name", "Two resources create a CloudLX customer with this name",
			"This plan creates more than one customer named \"Acme Ltd\": this resource and another one in the " +
				"configuration. Give each customer a name of its own; if several customers of that name are really " +
				"intended, set allow_duplicate_name = true on every resource that creates one. This resource sets it; the " +
				"other does not.",
		}},
		"name check failed": {nameCheckFailed("Acme Ltd", "https://portal.example/api/customers", lost), wantDiagnostic{
			diag.SeverityError, "name", "Could not check that no CloudLX customer has this name",
			"This plan creates customer \"Acme Ltd\". A plan that creates a customer first checks that CloudLX has none of " +
				"that name, because another customer of one name is a billing relationship that no plan should make by " +
				"accident, and the customer list (https://portal.example/api/customers) could not be read:\n" + lost.Error() +
				"\n\nNothing was sent to CloudLX. Plan again once the API answers. If the API client's portal user may not " +
				"read the customer list, give it that permission; allow_duplicate_name = true skips the check, and with it " +
				"the protection.",
		}},
		"may have been created": {customerMayHaveBeenCreated("Acme Ltd", lost, "The list could not be read."), wantDiagnostic{
			diag.SeverityError, "", "CloudLX customer may have been created",
			"Creating customer \"Acme Ltd\" failed without a clear answer, so it is unknown whether CloudLX created it. " +
				"The request was not repeated, to avoid creating the customer twice. The list could not be read.\n\n" +
				"Before applying again, look for a customer named \"Acme Ltd\" in the CloudLX portal. If it exists, import it " +
				"instead of creating it again, with\n  terraform import <resource address> <customer id>\n" +
				"or an import block (import { to = <resource address>, id = \"<customer id>\" }). " +
				"If it does not exist, apply again.\n\n" + lost.Error(),
		}},
		"answer lost, customer found": {lostCreateAnswerFound("Acme Ltd", 915, 1, lost), wantDiagnostic{
			diag.SeverityWarning, "", "CloudLX customer created, but its answer was lost",
			"Creating customer \"Acme Ltd\" got no clear answer: " + lost.Error() + "\n\nThe plan proved that no CloudLX " +
				"customer had that name, and the customer list, read once after the request, holds exactly one: id 915. This " +
				"apply created it, so it is saved to Terraform state, and no customer was created twice.",
		}},
		"answer lost twice, customer found": {lostCreateAnswerFound("Acme Ltd", 915, 2, lost), wantDiagnostic{
			diag.SeverityWarning, "", "CloudLX customer created, but its answer was lost",
			"Creating customer \"Acme Ltd\" got no clear answer (the second request: the list read after the first showed " +
				"that it never reached CloudLX): " + lost.Error() + "\n\nThe plan proved that no CloudLX customer had that " +
				"name, and the customer list, read once after the request, holds exactly one: id 915. This apply created it, " +
				"so it is saved to Terraform state, and no customer was created twice.",
		}},
		"answer lost, several found": {lostCreateSeveralNamed("Acme Ltd", twins, lost), wantDiagnostic{
			diag.SeverityError, "", "Several CloudLX customers have this name",
			"Creating customer \"Acme Ltd\" got no clear answer (" + lost.Error() + "). The plan proved that no CloudLX " +
				"customer had that name, but the customer list, read after the request, holds 2: ids 915, 916. One of them " +
				"was created by someone else since the plan, so Terraform cannot tell which one this apply created, and saved " +
				"none to state.\n\nLook at them in the CloudLX portal, import the one this resource should manage (import { to " +
				"= <resource address>, id = \"<customer id>\" }), and remove or suspend the others.",
		}},
		"not landed": {createNotLanded("Acme Ltd", lost), wantDiagnostic{
			diag.SeverityError, "", "CloudLX customer was not created",
			"Creating customer \"Acme Ltd\" failed twice without a clear answer, and the customer list, read after each " +
				"attempt, holds no customer of that name: CloudLX did not create it, and nothing was saved to state. Apply " +
				"again once the API answers.\n\n" + lost.Error(),
		}},
		"sent again": {createSentAgain("Acme Ltd", 917, lost), wantDiagnostic{
			diag.SeverityWarning, "", "CloudLX customer created on the second attempt",
			"The first request to create customer \"Acme Ltd\" got no clear answer (" + lost.Error() + "), and the customer " +
				"list, read after it, held no customer of that name: the request never reached CloudLX. It was sent again " +
				"and created customer id 917.",
		}},
	} {
		t.Run(name, func(t *testing.T) { checkDiagnostic(t, tc.got, tc.want) })
	}
}

// Several customers of the name: the error lists every id, and the import
// block names the lowest.
func TestNameTakenBySeveral(t *testing.T) {
	d := nameTaken("Acme Ltd", []cloudlx.Customer{{ID: 916}, {ID: 915}})
	for _, want := range []string{`2 customers named "Acme Ltd": ids 915, 916.`, `add an import block (the one this resource should manage)`, `id = "915"`} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, d.Detail())
		}
	}
}

func TestDeletionPolicyValidator(t *testing.T) {
	for value, want := range map[string]string{
		"DELETE": "", "ABANDON": "", "PREVENT": "",
		"abandon": `deletion_policy is "abandon"; it must be "DELETE" (a destroy deletes the customer in CloudLX; the default), ` +
			`"ABANDON" (a destroy only removes it from Terraform state) or "PREVENT" (a plan that would destroy it fails). ` +
			`Did you mean "ABANDON"?`,
		"KEEP": `deletion_policy is "KEEP"; it must be "DELETE" (a destroy deletes the customer in CloudLX; the default), ` +
			`"ABANDON" (a destroy only removes it from Terraform state) or "PREVENT" (a plan that would destroy it fails).`,
	} {
		var resp validator.StringResponse
		deletionPolicyValidator.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("deletion_policy"), ConfigValue: types.StringValue(value)}, &resp)
		switch {
		case want == "" && resp.Diagnostics.HasError():
			t.Errorf("%q refused: %v", value, resp.Diagnostics)
		case want != "" && (len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Detail() != want):
			t.Errorf("%q: diagnostics %v, want the detail %q", value, resp.Diagnostics, want)
		}
	}
}

// Many creates planned at once share one list read; each name planned twice
// is refused, and a failed shared load is followed by one retried read.
func TestNameGuardReadsTheListOnce(t *testing.T) {
	var lists atomic.Int32
	failFirst := false
	var mu sync.Mutex
	emu := emulator.New(emulator.Options{})
	if _, err := emu.CreateCustomer(emulator.CustomerInput{Name: "Taken", CurrencyISO: "EUR", CountryISO: "DE", Realms: []int64{2}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/api/customers" {
			lists.Add(1)
			mu.Lock()
			fail := failFirst
			failFirst = false
			mu.Unlock()
			if fail {
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	guard := func() *nameGuard {
		client, err := cloudlx.New(cloudlx.Config{Endpoint: srv.URL, ClientID: emulator.DefaultClientID,
			ClientSecret: emulator.DefaultClientSecret, MaxRetries: 2})
		if err != nil {
			t.Fatal(err)
		}
		return newNameGuard(client, newBulkRefresh(client, defaultBulkRefreshThreshold, newAPILogger(client.Redactor())))
	}

	g := guard()
	var wg sync.WaitGroup
	results := make([]diag.Diagnostics, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = g.check(context.Background(), fmt.Sprintf("Customer %d", i), false, 0)
		}()
	}
	wg.Wait()
	for i, d := range results {
		if d.HasError() {
			t.Errorf("customer %d: %v", i, d)
		}
	}
	if n := lists.Load(); n != 1 {
		t.Errorf("%d list reads for 20 creates, want 1", n)
	}
	if d := g.check(context.Background(), "Taken", false, 0); len(d) != 1 || d[0].Summary() != "A CloudLX customer with this name already exists" {
		t.Errorf("a taken name: %v", d)
	}
	if d := g.check(context.Background(), "Taken ", true, 0); d.HasError() {
		t.Errorf("allowed: %v", d)
	}
	if d := g.check(context.Background(), "Customer 3", true, 0); len(d) != 1 || !strings.Contains(d[0].Detail(), "This resource sets it; the other does not.") {
		t.Errorf("a name planned twice: %v", d)
	}
	if n := lists.Load(); n != 1 {
		t.Errorf("%d list reads, want still 1", n)
	}

	// The shared load sends the list once; a 429 there is followed by one
	// read with retries.
	lists.Store(0)
	mu.Lock()
	failFirst = true
	mu.Unlock()
	if d := guard().check(context.Background(), "New", false, 0); d.HasError() {
		t.Errorf("after a throttled shared load: %v", d)
	}
	if n := lists.Load(); n != 2 {
		t.Errorf("%d list reads, want the failed one and its retry", n)
	}
}

// A customer list whose entries lack their names is no evidence that a name
// is free: the check fails as for an unreadable list, naming the field, and
// never lets the create through.
func TestNameGuardRefusesAListWithoutNames(t *testing.T) {
	emu := emulator.New(emulator.Options{PartialAnswers: emulator.PartialAnswers{
		Omit: []string{"name"}, Routes: []string{"GET /api/customers"}}})
	if _, err := emu.CreateCustomer(emulator.CustomerInput{Name: "Taken", CurrencyISO: "EUR", CountryISO: "DE", Realms: []int64{2}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	client, err := cloudlx.New(cloudlx.Config{Endpoint: srv.URL, ClientID: emulator.DefaultClientID,
		ClientSecret: emulator.DefaultClientSecret, MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	g := newNameGuard(client, newBulkRefresh(client, defaultBulkRefreshThreshold, newAPILogger(client.Redactor())))
	d := g.check(context.Background(), "Taken", false, 0)
	if len(d) != 1 || d[0].Summary() != "Could not check that no CloudLX customer has this name" ||
		!strings.Contains(d[0].Detail(), "name") || !strings.Contains(d[0].Detail(), "/api/customers") {
		t.Fatalf("a list without names: %v", d)
	}
}
