package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// These tests call the resource's methods directly, for what the CLI-driven
// acceptance tests cannot observe: the warnings a user reads.

func customerSchema(t *testing.T) resource.SchemaResponse {
	t.Helper()
	var resp resource.SchemaResponse
	(&customerResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp
}

// stateFrom builds a tfsdk.State holding the given attributes (others null).
func stateFrom(t *testing.T, attrs map[string]any) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	s := customerSchema(t).Schema
	st := tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
	for name, v := range attrs {
		if d := st.SetAttribute(ctx, path.Root(name), v); d.HasError() {
			t.Fatalf("%s: %v", name, d)
		}
	}
	return st
}

func adminUser(email string) types.Object {
	return types.ObjectValueMust(map[string]attr.Type{
		"email": types.StringType, "first_name": types.StringType, "last_name": types.StringType, "role_group": types.StringType,
	}, map[string]attr.Value{
		"email": types.StringValue(email), "first_name": types.StringValue("Jane"),
		"last_name": types.StringValue("Doe"), "role_group": types.StringValue("Admin"),
	})
}

func warningsAt(diags diag.Diagnostics, p path.Path) []string {
	var out []string
	for _, d := range diags.Warnings() {
		if wp, ok := d.(diag.DiagnosticWithPath); ok && wp.Path().Equal(p) {
			out = append(out, d.Summary()+": "+d.Detail())
		}
	}
	return out
}

func TestModifyPlanWarnsWhenAdminUserChangesAfterCreation(t *testing.T) {
	ctx := context.Background()
	base := map[string]any{"id": int64(915), "name": "Acme", "currency_iso": "USD", "country_iso": "US"}
	withUser := func(email string) map[string]any {
		m := map[string]any{"admin_user": adminUser(email)}
		for k, v := range base {
			m[k] = v
		}
		return m
	}
	cases := map[string]struct {
		state, plan map[string]any
		warn        bool
	}{
		"email changed":          {withUser("a@x.example"), withUser("b@x.example"), true},
		"added after an import":  {base, withUser("a@x.example"), true},
		"removed from config":    {withUser("a@x.example"), base, true},
		"unchanged":              {withUser("a@x.example"), withUser("a@x.example"), false},
		"never set, name change": {base, map[string]any{"id": int64(915), "name": "Acme 2", "currency_iso": "USD", "country_iso": "US"}, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			state := stateFrom(t, tc.state)
			plan := stateFrom(t, tc.plan)
			req := resource.ModifyPlanRequest{State: state, Plan: tfsdk.Plan(plan)}
			resp := resource.ModifyPlanResponse{Plan: req.Plan}
			(&customerResource{}).ModifyPlan(ctx, req, &resp)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			warnings := warningsAt(resp.Diagnostics, path.Root("admin_user"))
			if tc.warn != (len(warnings) == 1) {
				t.Fatalf("warnings = %q, want a warning: %v", warnings, tc.warn)
			}
			if tc.warn && !strings.Contains(warnings[0], "only applies when the customer is created") {
				t.Fatalf("warning %q", warnings[0])
			}
		})
	}
}

// customerResource is the resource with a client of this env's emulator, for
// calling its methods directly.
func (e *testEnv) customerResource() *customerResource {
	e.t.Helper()
	client, err := cloudlx.New(cloudlx.Config{Endpoint: e.url, ClientID: emulator.DefaultClientID, ClientSecret: emulator.DefaultClientSecret})
	if err != nil {
		e.t.Fatal(err)
	}
	return &customerResource{data: newProviderData(client, newAPILogger(client.Redactor()), 5)}
}

func TestDeleteWithoutAPIDeleteWarnsAndSucceeds(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, emulator.Options{DisableDelete: true})
	emu := env.emu
	customer := env.mustCreateCustomer(emulator.CustomerInput{Name: "Acme", CurrencyISO: "USD", CountryISO: "US", Realms: []int64{2}})
	r := env.customerResource()
	state := stateFrom(t, map[string]any{"id": customer.ID, "name": "Acme"})
	resp := resource.DeleteResponse{State: state}
	r.Delete(ctx, resource.DeleteRequest{State: state}, &resp)

	if resp.Diagnostics.HasError() {
		t.Fatalf("a missing DELETE must not fail the destroy: %v", resp.Diagnostics)
	}
	if len(resp.Diagnostics.Warnings()) != 1 {
		t.Fatalf("diagnostics: %v", resp.Diagnostics)
	}
	w := resp.Diagnostics.Warnings()[0]
	for _, want := range []string{"still exists", `"Acme"`, "HTTP 405", "terraform import"} {
		if !strings.Contains(w.Summary()+w.Detail(), want) {
			t.Errorf("warning lacks %q: %s\n%s", want, w.Summary(), w.Detail())
		}
	}
	if _, ok := emu.Customer(customer.ID); !ok {
		t.Fatal("the customer should still exist")
	}
}

// A DELETE's 404 counts as "already gone" only when the customer list agrees:
// a gateway's 404 for a customer that exists fails the destroy, naming the
// URL, and costs one list request; a customer really gone is done.
func TestDeleteCountsA404AsDoneOnlyWhenTheListConfirmsIt(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, emulator.Options{GatewayNotFoundRoutes: []string{"DELETE /api/customers/{id}"}})
	emu := env.emu
	r := env.customerResource()
	del := func(id int64) resource.DeleteResponse {
		state := stateFrom(t, map[string]any{"id": id, "name": "Acme"})
		resp := resource.DeleteResponse{State: state}
		r.Delete(ctx, resource.DeleteRequest{State: state}, &resp)
		return resp
	}

	customer := env.mustCreateCustomer(emulator.CustomerInput{Name: "Acme", CurrencyISO: "USD", CountryISO: "US", Realms: []int64{2}})
	resp := del(customer.ID)
	if !resp.Diagnostics.HasError() {
		t.Fatal("a gateway's 404 for an existing customer counted as deleted")
	}
	if d := resp.Diagnostics.Errors()[0].Detail(); !strings.Contains(d, "DELETE "+env.url+"/api/customers/") || !strings.Contains(d, "still holds customer") {
		t.Errorf("detail:\n%s", d)
	}
	if _, ok := emu.Customer(customer.ID); !ok || emu.Count("GET /api/customers") != 1 {
		t.Fatalf("customer kept %v, %d list requests (want 1)", ok, emu.Count("GET /api/customers"))
	}

	emu.DeleteCustomer(customer.ID) // gone for real: the list confirms the 404
	if resp := del(customer.ID); resp.Diagnostics.HasError() {
		t.Fatalf("a confirmed 404 failed the destroy: %v", resp.Diagnostics)
	}
	if emu.Count("GET /api/customers") != 2 {
		t.Fatalf("%d list requests, want 2", emu.Count("GET /api/customers"))
	}
}
