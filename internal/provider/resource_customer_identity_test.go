package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// importAndRead imports customer id by its ID string and refreshes it, as
// `terraform import` does, and returns the attributes of the state.
func (p *protocolProvider) importAndRead(id int64) map[string]tftypes.Value {
	p.t.Helper()
	imported := p.importResource(&tfprotov6.ImportResourceStateRequest{TypeName: "cloudlx_customer", ID: fmt.Sprint(id)})
	read := p.read(imported.State, imported.Identity)
	attrs, err := p.resourceAttrs(read.NewState)
	if err != nil {
		p.t.Fatal(err)
	}
	return attrs
}

func (p *protocolProvider) importResource(req *tfprotov6.ImportResourceStateRequest) *tfprotov6.ImportedResource {
	p.t.Helper()
	resp, err := p.server.ImportResourceState(context.Background(), req)
	if err != nil {
		p.t.Fatal(err)
	}
	p.requireNoErrors("ImportResourceState", resp.Diagnostics)
	if len(resp.ImportedResources) != 1 {
		p.t.Fatalf("%d imported resources", len(resp.ImportedResources))
	}
	return resp.ImportedResources[0]
}

func (p *protocolProvider) read(state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData) *tfprotov6.ReadResourceResponse {
	p.t.Helper()
	resp, err := p.server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName: "cloudlx_customer", CurrentState: state, CurrentIdentity: identity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.requireNoErrors("ReadResource", resp.Diagnostics)
	return resp
}

// The identity schema is exactly { id = number }, required for import.
func TestCustomerIdentity_schema(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	p := newProtocolProvider(t, env.emulatorSettings(nil))
	schema := p.ids.IdentitySchemas["cloudlx_customer"]
	if schema == nil || len(schema.IdentityAttributes) != 1 {
		t.Fatalf("identity schema: %+v", schema)
	}
	a := schema.IdentityAttributes[0]
	if a.Name != "id" || !a.Type.Is(tftypes.Number) || !a.RequiredForImport || a.OptionalForImport {
		t.Errorf("identity attribute: %+v", a)
	}
}

// An import block with identity = { id = 915 }, at the protocol level (no
// CLI on these machines other than OpenTofu sends one): the import names the
// customer, and the refresh that follows reads it with one GET and keeps the
// identity.
func TestCustomerIdentity_importByIdentity(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	existing := seedNamed(t, env.emu, "Made in the portal")[0]
	p := newProtocolProvider(t, env.emulatorSettings(nil))

	imported := p.importResource(&tfprotov6.ImportResourceStateRequest{TypeName: "cloudlx_customer", Identity: p.identityValue(existing.ID)})
	if id, err := p.identityID(imported.Identity); err != nil || id != existing.ID {
		t.Errorf("imported identity %d (%v), want %d", id, err, existing.ID)
	}
	attrs, err := p.resourceAttrs(imported.State)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := int64Of(attrs["id"]); err != nil || id != existing.ID {
		t.Errorf("imported state id %d (%v), want %d", id, err, existing.ID)
	}
	if reqs := env.apiRequests(""); len(reqs) != 0 {
		t.Errorf("the import itself sent %s; only the refresh reads", routes(reqs))
	}

	read := p.read(imported.State, imported.Identity)
	if id, err := p.identityID(read.NewIdentity); err != nil || id != existing.ID {
		t.Errorf("identity after the refresh %d (%v), want %d", id, err, existing.ID)
	}
	if attrs, _ := p.resourceAttrs(read.NewState); stringOf(attrs["name"]) != "Made in the portal" {
		t.Errorf("refreshed name %q", stringOf(attrs["name"]))
	}
	if got := routes(env.apiRequests("")); got != "GET /api/customers/{id}" {
		t.Errorf("the refresh sent %s", got)
	}
}

func TestCustomerIdentity_invalidImportIdentity(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	p := newProtocolProvider(t, env.emulatorSettings(nil))
	for _, id := range []int64{0, -915} {
		resp, err := p.server.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{
			TypeName: "cloudlx_customer", Identity: p.identityValue(id),
		})
		if err != nil {
			t.Fatal(err)
		}
		msg := errorText(resp.Diagnostics)
		if !strings.Contains(msg, "identity = { id = 915 }") || !strings.Contains(msg, fmt.Sprintf("got id = %d", id)) {
			t.Errorf("id %d: diagnostics %q", id, msg)
		}
	}
	if reqs := env.apiRequests(""); len(reqs) != 0 {
		t.Errorf("invalid identities reached the API: %s", routes(reqs))
	}
}

// A CLI older than 1.12 sends no identity and keeps none: every refresh then
// starts without one, and the provider must still answer with the identity
// (the framework requires it) rather than fail.
func TestCustomerIdentity_refreshWithoutIdentityFromOlderCLIs(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	existing := seedNamed(t, env.emu, "Acme Ltd")[0]
	p := newProtocolProvider(t, env.emulatorSettings(nil))
	imported := p.importResource(&tfprotov6.ImportResourceStateRequest{TypeName: "cloudlx_customer", ID: fmt.Sprint(existing.ID)})
	for range 2 {
		read := p.read(imported.State, nil)
		if id, err := p.identityID(read.NewIdentity); err != nil || id != existing.ID {
			t.Fatalf("identity %d (%v), want %d", id, err, existing.ID)
		}
		imported.State = read.NewState
	}
}

// A customer deleted outside Terraform leaves state on the next refresh. A CLI
// older than 1.12 (or state from before identities) sends no identity, and the
// framework rejects a successful Read that answers none ("Missing Resource
// Identity After Read"), so the refresh must still answer the identity the
// customer had.
func TestCustomerIdentity_refreshOfADeletedCustomerWithoutIdentity(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	existing := seedNamed(t, env.emu, "Deleted in the portal")[0]
	p := newProtocolProvider(t, env.emulatorSettings(nil))
	imported := p.importResource(&tfprotov6.ImportResourceStateRequest{TypeName: "cloudlx_customer", ID: fmt.Sprint(existing.ID)})
	state := p.read(imported.State, nil).NewState
	env.emu.DeleteCustomer(existing.ID)

	for _, identity := range []*tfprotov6.ResourceIdentityData{nil, p.identityValue(existing.ID)} {
		read := p.read(state, identity) // fails the test on any error diagnostic
		if raw, err := read.NewState.Unmarshal(p.schemas.ResourceSchemas["cloudlx_customer"].ValueType()); err != nil || !raw.IsNull() {
			t.Errorf("state after the refresh: %v (%v), want the customer removed", raw, err)
		}
		if id, err := p.identityID(read.NewIdentity); err != nil || id != existing.ID {
			t.Errorf("identity %d (%v), want %d", id, err, existing.ID)
		}
	}
}

// With a CLI that keeps identities (OpenTofu 1.12 here; Terraform 1.12+ too),
// identity is set by create, unchanged by update and refresh, and an import
// block with identity = { id = ... } adopts the customer with a plan that
// changes nothing.
//
// tfversion reads OpenTofu's version as if it were Terraform's: OpenTofu
// 1.12.6 counts as "1.12.6", which is right here because OpenTofu 1.12 keeps
// identities and imports by them. Terraform 1.5.7 and 1.11.4 skip the test;
// `make test` runs it on Terraform 1.13.3 (scripts/ensure-cli.sh builds 1.12+
// without the cloud state backends), and `make test-opentofu` on OpenTofu.
func TestAccCustomer_identity(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	// Every step's identity id matches the id in its state
	// (ExpectIdentityValueMatchesState), and that id is the one the create
	// set (sameID).
	sameID := statecheck.CompareValue(compare.ValuesSame())
	positive := knownvalue.Int64Func(func(v int64) error {
		if v <= 0 {
			return fmt.Errorf("identity id %d, want a positive id", v)
		}
		return nil
	})
	// No admin_user: an import never has one, so the import plans below are no-ops.
	config := env.customerConfig(customerWithoutAdminUser)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(customerAddr, tfjsonpath.New("id")),
					statecheck.ExpectIdentity(customerAddr, map[string]knownvalue.Check{"id": positive}),
					statecheck.ExpectIdentityValueMatchesState(customerAddr, tfjsonpath.New("id")),
				},
			},
			// An update keeps the identity.
			{
				Config: strings.Replace(config, `"Acme Ltd"`, `"Acme Renamed"`, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(customerAddr, tfjsonpath.New("id")),
					statecheck.ExpectIdentity(customerAddr, map[string]knownvalue.Check{"id": positive}),
					statecheck.ExpectIdentityValueMatchesState(customerAddr, tfjsonpath.New("id")),
				},
			},
			// import { to = cloudlx_customer.test, identity = { id = <id> } }: the
			// plan imports with the same identity, changes nothing and reads once.
			{
				PreConfig:       env.emu.ResetRequests,
				Config:          strings.Replace(config, `"Acme Ltd"`, `"Acme Renamed"`, 1),
				ResourceName:    customerAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionNoop),
						plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("name"), str("Acme Renamed")),
						env.expectImportReads(1),
					},
				},
			},
			// The same with id = "<id>", which every CLI since 1.5 understands.
			{
				PreConfig:       env.emu.ResetRequests,
				Config:          strings.Replace(config, `"Acme Ltd"`, `"Acme Renamed"`, 1),
				ResourceName:    customerAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionNoop)},
				},
			},
			// A refresh keeps the identity.
			{
				Config: strings.Replace(config, `"Acme Ltd"`, `"Acme Renamed"`, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(customerAddr, tfjsonpath.New("id")),
					statecheck.ExpectIdentity(customerAddr, map[string]knownvalue.Check{"id": positive}),
					statecheck.ExpectIdentityValueMatchesState(customerAddr, tfjsonpath.New("id")),
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := len(env.emu.Customers()); n != 0 {
				return fmt.Errorf("%d customers left after destroy", n)
			}
			return nil
		},
	})
}

// An identity import of an id that is not a positive number fails at plan
// time, naming the expected form, before any request.
func TestAccCustomer_identityImportRefusesInvalidID(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	config := env.customerConfig(minimalCustomer) + `
import {
  to       = cloudlx_customer.test
  identity = { id = 0 }
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}, // see TestAccCustomer_identity
		Steps: []resource.TestStep{{
			Config:      config,
			PlanOnly:    true,
			ExpectError: errorMatching("The import block's identity must give the customer's numeric ID, a positive integer"),
		}},
		CheckDestroy: env.checkNoAPIRequests("an invalid identity"),
	})
}

// expectImportReads checks, at the import plan, that the provider read the
// customer n times and sent nothing else since the step's PreConfig reset.
func (e *testEnv) expectImportReads(n int) plancheck.PlanCheck {
	return planCheckFunc(func() error {
		want := strings.TrimSuffix(strings.Repeat("GET /api/customers/{id}, ", n), ", ")
		if got := routes(e.apiRequests("")); got != want {
			return fmt.Errorf("the import plan sent %q, want %q", got, want)
		}
		return nil
	})
}

type planCheckFunc func() error

func (f planCheckFunc) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// The resource page's identity import example, as a user copies it, applied
// by OpenTofu (which `make test` provides; TestAccCustomer_identity covers
// Terraform 1.12+): one import and nothing written, the identity in state,
// then an empty plan.
func TestAccCustomer_identityImportExampleWithOpenTofu(t *testing.T) {
	requireAcc(t)
	tofu := clitest.OpenTofu(t)
	if !tofu.AtLeast("1.12") {
		t.Skipf("%s cannot import by identity (OpenTofu 1.12+)", tofu)
	}
	env := newTestEnv(t, emulator.Options{})
	existing := env.mustCreateCustomer(emulator.CustomerInput{Name: "Acme Ltd", CurrencyISO: "GBP", CountryISO: "GB", Realms: []int64{2, 7}})
	example, err := os.ReadFile("../../examples/resources/cloudlx_customer/import-by-identity/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	wd := clitest.NewWorkdir(t, tofu, map[string]string{
		envEndpoint: env.url, envClientID: emulator.DefaultClientID, envClientSecret: emulator.DefaultClientSecret,
	})
	wd.WriteFile("main.tf", strings.Replace(string(example), "identity = { id = 915 }", fmt.Sprintf("identity = { id = %d }", existing.ID), 1))
	wd.WriteFile("providers.tf", cliProviderBlock(""))

	apply := wd.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(apply.Stdout, "Resources: 1 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("apply:\n%s", lastLines(apply.Stdout, 20))
	}
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address  string         `json:"address"`
					Identity map[string]any `json:"identity"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	wd.MustRunJSON(&state, "show", "-json")
	res := state.Values.RootModule.Resources
	if len(res) != 1 || res[0].Address != "cloudlx_customer.example" || fmt.Sprint(res[0].Identity["id"]) != fmt.Sprint(existing.ID) {
		t.Errorf("state resources: %+v, want cloudlx_customer.example with identity id %d", res, existing.ID)
	}
	if plan := wd.Run("plan", "-detailed-exitcode", "-input=false", "-no-color"); plan.ExitCode != 0 {
		t.Errorf("the plan after the import is not empty:\n%s", plan)
	}
	for _, w := range env.writes() {
		t.Errorf("adoption by identity sent %s", w)
	}
}
