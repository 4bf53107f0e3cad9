package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

func TestAccCustomer_lifecycle(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	// The customer created again at the end has an id of its own.
	newID := statecheck.CompareValue(compare.ValuesDiffer())

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// Create with every attribute: one POST, state built from its answer.
			{
				Config: env.customerConfig(fullCustomer),
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("id", knownvalue.Int64Func(func(v int64) error {
						if v <= 0 {
							return fmt.Errorf("id %d", v)
						}
						return nil
					})),
					newID.AddStateValue(customerAddr, tfjsonpath.New("id")),
					attrCheck("name", str("Acme Ltd")),
					attrCheck("currency_iso", str("USD")),
					attrCheck("country_iso", str("US")),
					attrCheck("realms", ids(2, 7)),
					attrCheck("shown_sub_realms", ids(313, 328)),
					attrCheck("enabled_sub_realms", ids(313)),
					attrCheck("admin_user", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"email": str("ops@acme.example"), "first_name": str("Jane"), "last_name": str("Doe"), "role_group": str("Admin"),
					})),
					attrCheck("currency", knownvalue.ObjectPartial(map[string]knownvalue.Check{"iso_3": str("USD"), "name": knownvalue.NotNull()})),
					attrCheck("country", knownvalue.ObjectExact(map[string]knownvalue.Check{"iso_2": str("US"), "name": str("United States")})),
					attrCheck("realm_details", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": num(2), "name": str("Networking"), "description": str("Cloud Link Exchange")}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": num(7), "name": str("Voice"), "description": knownvalue.NotNull()}),
					})),
					attrCheck("sub_realm_details", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": num(313), "name": str("SD WAN"), "description": knownvalue.Null(), "has_access": knownvalue.Bool(true)}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": num(328), "name": str("Cloud SBC & Conversion"), "description": knownvalue.Null(), "has_access": knownvalue.Bool(false)}),
					})),
				},
				Check: resource.ComposeTestCheckFunc(
					// The apply walk of a create checks the ids against the catalogues
					// and the name against the customer list (as its plan did), then
					// sends the POST and nothing else.
					env.checkWalk("POST /api/customers", createPlanReads+", POST /api/customers"),
					env.checkWrites(`POST /api/customers {"country_iso":"US","currency_iso":"USD","email":"ops@acme.example","enabled_sub_realms":[313],"first_name":"Jane","last_name":"Doe","name":"Acme Ltd","realms":[2,7],"role_group":"Admin","shown_sub_realms":[313,328]}`),
					func(*terraform.State) error {
						user, ok := env.emu.AdminUser(env.currentID())
						if !ok || user.Email != "ops@acme.example" || user.RoleGroup != "Admin" {
							return fmt.Errorf("admin user in the emulator: %+v", user)
						}
						return nil
					},
				),
			},
			// Import: every attribute but the write-only admin_user comes back.
			{
				ResourceName:            customerAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"admin_user"},
				ImportStateCheck:        func([]*terraform.InstanceState) error { return env.expectWrites() },
			},
			// Reordering ids changes nothing.
			{
				Config: env.customerConfig(strings.NewReplacer("[2, 7]", "[7, 2]", "[313, 328]", "[328, 313]").Replace(fullCustomer)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: env.checkWrites(),
			},
			// A name change: one PATCH holding only the name, and no
			// "(known after apply)" on the details it cannot change.
			{
				Config: env.customerConfig(strings.Replace(fullCustomer, `"Acme Ltd"`, `"Acme Renamed"`, 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("id"), knownvalue.NotNull()),
						plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("currency"), knownvalue.NotNull()),
						plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("country"), knownvalue.NotNull()),
						plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("realm_details"), knownvalue.ListSizeExact(2)),
						plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("sub_realm_details"), knownvalue.ListSizeExact(2)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{attrCheck("name", str("Acme Renamed"))},
				Check: resource.ComposeTestCheckFunc(
					env.checkWalk("PATCH /api/customers/{id}", "PATCH /api/customers/{id}"),
					env.checkWrites(`PATCH /api/customers/{id} {"name":"Acme Renamed"}`),
				),
			},
			// Realms and both sub-realm sets change: their details are replanned, the rest stays known.
			{
				Config: env.customerConfig(strings.NewReplacer(`"Acme Ltd"`, `"Acme Renamed"`, "[2, 7]", "[2, 3, 7]",
					"[313, 328]", "[313, 328, 340]", "enabled_sub_realms = [313]", "enabled_sub_realms = [313, 340]").Replace(fullCustomer)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(customerAddr, tfjsonpath.New("realm_details")),
						plancheck.ExpectUnknownValue(customerAddr, tfjsonpath.New("sub_realm_details")),
						plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("currency"), knownvalue.NotNull()),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("realms", ids(2, 3, 7)),
					attrCheck("shown_sub_realms", ids(313, 328, 340)),
					attrCheck("enabled_sub_realms", ids(313, 340)),
					attrCheck("realm_details", knownvalue.ListSizeExact(3)),
					attrCheck("sub_realm_details", knownvalue.ListPartial(map[int]knownvalue.Check{
						2: knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": num(340), "has_access": knownvalue.Bool(true)}),
					})),
				},
				Check: env.checkWrites(`PATCH /api/customers/{id} {"enabled_sub_realms":[313,340],"realms":[2,3,7],"shown_sub_realms":[313,328,340]}`),
			},
			// Only enabled changes: the PATCH holds enabled_sub_realms alone
			// (shown_sub_realms, unchanged, is not sent again).
			{
				Config: env.customerConfig(strings.NewReplacer(`"Acme Ltd"`, `"Acme Renamed"`, "[2, 7]", "[2, 3, 7]",
					"[313, 328]", "[313, 328, 340]").Replace(fullCustomer)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("realm_details"), knownvalue.ListSizeExact(3)),
						plancheck.ExpectUnknownValue(customerAddr, tfjsonpath.New("sub_realm_details")),
					},
				},
				Check: env.checkWrites(`PATCH /api/customers/{id} {"enabled_sub_realms":[313]}`),
			},
			// admin_user after creation: an update that sends nothing.
			{
				Config: env.customerConfig(strings.NewReplacer(`"Acme Ltd"`, `"Acme Renamed"`, "[2, 7]", "[2, 3, 7]",
					"[313, 328]", "[313, 328, 340]", "ops@acme.example", "admin@acme.example").Replace(fullCustomer)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("sub_realm_details"), knownvalue.ListSizeExact(3)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("admin_user", knownvalue.ObjectPartial(map[string]knownvalue.Check{"email": str("admin@acme.example")})),
				},
				Check: env.checkWrites(),
			},
			// Drift made in the portal is planned and reverted with one PATCH of just the drifted fields.
			{
				PreConfig: func() {
					_, err := env.emu.UpdateCustomer(env.currentID(), func(in *emulator.CustomerInput) {
						in.Name = "Changed in the portal"
						in.EnabledSubRealms = []int64{313, 328}
					})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: env.customerConfig(strings.NewReplacer(`"Acme Ltd"`, `"Acme Renamed"`, "[2, 7]", "[2, 3, 7]",
					"[313, 328]", "[313, 328, 340]", "ops@acme.example", "admin@acme.example").Replace(fullCustomer)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					env.checkWrites(`PATCH /api/customers/{id} {"enabled_sub_realms":[313],"name":"Acme Renamed"}`),
					func(*terraform.State) error {
						if c, _ := env.emu.Customer(env.currentID()); c.Name != "Acme Renamed" {
							return fmt.Errorf("emulator name %q", c.Name)
						}
						return nil
					},
				),
			},
			// Deleted in the portal: planned for creation again.
			{
				PreConfig: func() { env.emu.DeleteCustomer(env.currentID()) },
				Config:    env.customerConfig(fullCustomer),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{newID.AddStateValue(customerAddr, tfjsonpath.New("id"))},
				Check:             env.checkWrites(`POST /api/customers {"country_iso":"US","currency_iso":"USD","email":"ops@acme.example","enabled_sub_realms":[313],"first_name":"Jane","last_name":"Doe","name":"Acme Ltd","realms":[2,7],"role_group":"Admin","shown_sub_realms":[313,328]}`),
			},
		},
		CheckDestroy: func(s *terraform.State) error {
			if n := len(env.emu.Customers()); n != 0 {
				return fmt.Errorf("%d customers left after destroy", n)
			}
			if err := env.checkWalk("DELETE /api/customers/{id}", "DELETE /api/customers/{id}")(s); err != nil {
				return err
			}
			return env.expectWrites(`DELETE /api/customers/{id}`)
		},
	})
}

func TestAccCustomer_minimalUsesEmptySubRealms(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.customerConfig(minimalCustomer),
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("shown_sub_realms", ids()),
					attrCheck("enabled_sub_realms", ids()),
					attrCheck("sub_realm_details", knownvalue.ListExact([]knownvalue.Check{})),
					attrCheck("admin_user", knownvalue.Null()),
					attrCheck("country", knownvalue.ObjectExact(map[string]knownvalue.Check{"iso_2": str("DE"), "name": str("Germany")})),
				},
				Check: env.checkWrites(`POST /api/customers {"country_iso":"DE","currency_iso":"EUR","enabled_sub_realms":[],"name":"Minimal","realms":[1],"shown_sub_realms":[]}`),
			},
			// Sub-realms added in the portal are drift against the empty default.
			{
				PreConfig: func() {
					_, err := env.emu.UpdateCustomer(env.currentID(), func(in *emulator.CustomerInput) { in.ShownSubRealms = []int64{313} })
					if err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				// A refresh of one customer costs one GET.
				Check: env.checkWalk("GET /api/customers/{id}", "GET /api/customers/{id}"),
			},
		},
	})
}

func TestAccCustomer_createResponseWithoutRealmIDs(t *testing.T) {
	// The docs' own create example omits realm ids: the provider then reads the customer once.
	env := newTestEnv(t, emulator.Options{OmitRealmIDsOnCreate: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.customerConfig(fullCustomer),
			ConfigStateChecks: []statecheck.StateCheck{
				attrCheck("realms", ids(2, 7)),
				attrCheck("realm_details", knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": num(2)}),
				})),
			},
			Check: func(*terraform.State) error {
				create := env.walkOf("POST /api/customers")
				if got := routes(create); got != createPlanReads+", POST /api/customers, GET /api/customers/{id}" {
					return fmt.Errorf("create sent %s", got)
				}
				return nil
			},
		}},
	})
}

func TestAccCustomer_quirkyButValidAPI(t *testing.T) {
	// Another valid implementation: lists in any order, unknown extra fields.
	env := newTestEnv(t, emulator.Options{Quirks: true, Seed: 7})
	cfg := env.customerConfig(strings.Replace(fullCustomer, "[2, 7]", "[1, 2, 3, 7]", 1))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{ResourceName: customerAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"admin_user"}},
		},
	})
}

func TestAccCustomer_importWithMatchingConfigPlansClean(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	existing, err := env.emu.CreateCustomer(emulator.CustomerInput{
		Name: "Made in the portal", CurrencyISO: "GBP", CountryISO: "GB",
		Realms: []int64{2, 7}, ShownSubRealms: []int64{313, 328}, EnabledSubRealms: []int64{328},
	})
	if err != nil {
		t.Fatal(err)
	}
	matching := env.customerConfig(`
  name               = "Made in the portal"
  currency_iso       = "GBP"
  country_iso        = "GB"
  realms             = [7, 2]
  shown_sub_realms   = [313, 328]
  enabled_sub_realms = [328]
`)
	withUser := strings.Replace(matching, `enabled_sub_realms = [328]`, `enabled_sub_realms = [328]
  admin_user = {
    email      = "ops@portal.example"
    first_name = "Pat"
    last_name  = "Lee"
  }`, 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             matching,
				ResourceName:       customerAddr,
				ImportState:        true,
				ImportStateId:      fmt.Sprint(existing.ID),
				ImportStatePersist: true,
				ImportStateCheck: func([]*terraform.InstanceState) error {
					if got := routes(env.apiRequests("")); got != "GET /api/customers/{id}" {
						return fmt.Errorf("import sent %s", got)
					}
					return nil
				},
			},
			{
				Config:   matching,
				PlanOnly: true, // fails on any diff
			},
			// admin_user is never returned: configuring it after an import is an
			// update that sends nothing (with a warning).
			{
				Config: withUser,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate)},
				},
				Check: env.checkWrites(),
			},
		},
	})
}

func TestAccCustomer_invalidImportIDs(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	var steps []resource.TestStep
	for _, id := range []string{"abc", "0", "-3", "915x", " 915", "1.5", "0915", "+915", "9223372036854775808", "/api/customers/915"} {
		steps = append(steps, resource.TestStep{
			Config:        env.customerConfig(fullCustomer),
			ResourceName:  customerAddr,
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   errorMatching("Expected the customer's numeric ID, a positive integer such as 915"),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy:             env.checkNoAPIRequests("invalid import ids"),
	})
}

// TestAccCustomer_planTimeValidation covers every attribute's invalid values:
// each is a plan-time error attached to the attribute (Terraform quotes the
// attribute's line of configuration), before any request is sent.
func TestAccCustomer_planTimeValidation(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	const withTimeouts = "  timeouts {\n    create = \"10m\"\n    update = \"10m\"\n  }\n"
	cases := []struct {
		attr     string // the attribute the error must point at, as written in the configuration
		from, to string // a replacement in fullCustomer (+ withTimeouts)
		wantErr  string
	}{
		{"name", `"Acme Ltd"`, `""`, "name must not be empty"},
		{"name", `"Acme Ltd"`, `"   "`, "name must not be empty"},
		{"name", `"Acme Ltd"`, `"Acme Ltd "`, `name must not start or end with whitespace: CloudLX trims it, so the plan could never settle. Use "Acme Ltd".`},
		{"admin_user.last_name", `"Doe"`, `" Doe"`, `admin_user.last_name must not start or end with whitespace`},
		{"currency_iso", `"USD"`, `"usd"`, `"usd" must be uppercase: use "USD"`},
		{"currency_iso", `"USD"`, `"BYR"`, `"BYR" is not a current ISO 4217 currency code: Belarus redenominated its rouble as BYN on 2016-07-01. Use "BYN".`},
		{"currency_iso", `"USD"`, `"MRO"`, `Use "MRU".`},
		{"currency_iso", `"USD"`, `"STD"`, `Use "STN".`},
		{"currency_iso", `"USD"`, `"LTL"`, `Lithuania adopted the euro on 2015-01-01. Use "EUR".`},
		{"currency_iso", `"USD"`, `"EEK"`, `Estonia adopted the euro on 2011-01-01. Use "EUR".`},
		{"currency_iso", `"USD"`, `"HRK"`, `Croatia adopted the euro on 2023-01-01. Use "EUR".`},
		{"currency_iso", `"USD"`, `"SLL"`, `Use "SLE".`},
		{"currency_iso", `"USD"`, `"US"`, `"US" is not an ISO 4217 currency code`},
		{"currency_iso", `"USD"`, `""`, `"" is not an ISO 4217 currency code`},
		{"currency_iso", `"USD"`, `"U$D"`, `"U$D" is not an ISO 4217 currency code`},
		{"country_iso", `"US"`, `"us"`, `"us" must be uppercase: use "US"`},
		{"country_iso", `"US"`, `"AN"`, `"AN" is not a current ISO 3166-1 alpha-2 country code: withdrawn on 2010-12-15, when the Netherlands Antilles were dissolved. Use "CW", "SX" or "BQ"`},
		{"country_iso", `"US"`, `"CS"`, `Use "RS" or "ME"`},
		{"country_iso", `"US"`, `"YU"`, `"YU" is not a current ISO 3166-1 alpha-2 country code: withdrawn on 2003-07-23`},
		{"country_iso", `"US"`, `"USA"`, `"USA" is not an ISO 3166-1 alpha-2 country code`},
		{"country_iso", `"US"`, `"UK"`, `"UK" is not a current ISO 3166-1 alpha-2 country code: exceptionally reserved for the United Kingdom, whose ISO 3166-1 code is GB. Use "GB".`},
		{"country_iso", `"US"`, `"EU"`, `reserved for the European Union, which is not a country`},
		{"country_iso", `"US"`, `""`, `"" is not an ISO 3166-1 alpha-2 country code`},
		{"realms", `[2, 7]`, `[0, 7]`, "value must be at least 1, got: 0"},
		{"realms", `[2, 7]`, `[]`, "realms must hold at least one id. A customer needs access to at least one realm: find their ids with the cloudlx_realms data source."},
		{"realms", `[2, 7]`, `[2.5]`, "realms must hold whole numbers, such as 2; 2.5 is not."},
		{"realms", `[2, 7]`, `[2, 7.5, 1e30]`, "realms must hold whole numbers, such as 2; 1e+30, 7.5 are not."},
		{"shown_sub_realms", `[313, 328]`, `[313, 328.5]`, "shown_sub_realms must hold whole numbers, such as 2; 328.5 is not."},
		{"enabled_sub_realms", `enabled_sub_realms = [313]`, `enabled_sub_realms = [313.1]`, "enabled_sub_realms must hold whole numbers, such as 2; 313.1 is not."},
		{"realms", `[2, 7]`, `[-2]`, "value must be at least 1, got: -2"},
		{"shown_sub_realms", `[313, 328]`, `[313, -1]`, "value must be at least 1, got: -1"},
		{"shown_sub_realms", `[313, 328]`, `[313, 328, 0]`, "value must be at least 1, got: 0"},
		{"enabled_sub_realms", `enabled_sub_realms = [313]`, `enabled_sub_realms = [340]`, "enabled_sub_realms contains 340, which is not in shown_sub_realms"},
		{"enabled_sub_realms", `enabled_sub_realms = [313]`, `enabled_sub_realms = [313, -313]`, "value must be at least 1, got: -313"},
		{"admin_user.email", `"ops@acme.example"`, `"not-an-address"`, `admin_user.email: "not-an-address" is not an email address`},
		{"admin_user.email", `"ops@acme.example"`, `"Jane <ops@acme.example>"`, `admin_user.email: "Jane <ops@acme.example>" is not an email address. Use a plain address such as "ops@example.com", without a display name`},
		{"admin_user.email", `"ops@acme.example"`, `"ops@localhost"`, `admin_user.email: "ops@localhost" is not an email address`},
		{"admin_user.email", `"ops@acme.example"`, `""`, `admin_user.email: "" is not an email address`},
		{"admin_user.first_name", `"Jane"`, `""`, "admin_user.first_name must not be empty"},
		{"admin_user.last_name", `"Doe"`, `" "`, "admin_user.last_name must not be empty"},
		{"admin_user.role_group", `last_name  = "Doe"`, "last_name  = \"Doe\"\n    role_group = \"\"", "admin_user.role_group must not be empty"},
		{"create", `create = "10m"`, `create = "-5m"`, `timeouts.create is "-5m"; it bounds the whole operation, retries included, so it must be positive`},
		{"update", `update = "10m"`, `update = "0s"`, `timeouts.update is "0s"`},
		{"create", `create = "10m"`, `create = "soon"`, `"soon" must be a string containing a sequence of decimal numbers`},
	}
	var steps []resource.TestStep
	base := fullCustomer + withTimeouts
	for _, tc := range cases {
		if !strings.Contains(base, tc.from) {
			t.Fatalf("%s not in the base config", tc.from)
		}
		// The quoted configuration line ("19:   currency_iso = ...") shows which
		// attribute is at fault. Terraform cannot quote a line inside an object
		// value (admin_user = {...}), so there the message names the attribute.
		want := regexp.MustCompile(`(?s)\d+:\s+` + regexp.QuoteMeta(tc.attr) + `\s*=.*` + errorMatching(tc.wantErr).String())
		if strings.HasPrefix(tc.attr, "admin_user.") {
			if !strings.Contains(tc.wantErr, tc.attr) {
				t.Fatalf("the expected message for %s must name it", tc.attr)
			}
			want = errorMatching(tc.wantErr)
		}
		steps = append(steps, resource.TestStep{
			Config:      env.customerConfig(strings.Replace(base, tc.from, tc.to, 1)),
			PlanOnly:    true,
			ExpectError: want,
		})
	}
	// Missing required attributes.
	for _, missing := range []struct{ body, wantErr string }{
		{`name = "x"`, `The argument "currency_iso" is required`},
		{strings.Replace(fullCustomer, `name               = "Acme Ltd"`, "", 1), `The argument "name" is required`},
		{strings.Replace(fullCustomer, `email      = "ops@acme.example"`, "", 1), `Inappropriate value for attribute "admin_user": attribute "email" is required`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      env.customerConfig(missing.body),
			PlanOnly:    true,
			ExpectError: errorMatching(missing.wantErr),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy:             env.checkNoRequests("invalid configs"),
	})
}

// Current codes that golang.org/x/text refuses plan cleanly (currencies of
// Venezuela, Mauritania, Sierra Leone, Zimbabwe, Curaçao and Sint Maarten,
// São Tomé, Belarus; countries that replaced the Netherlands Antilles).
func TestAccCustomer_currentISOCodesPlan(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	config := env.providerBlock() + `
resource "cloudlx_customer" "test" {
  for_each = {
    VES = "VE", VED = "VE", MRU = "MR", SLE = "SL", ZWG = "ZW", XCG = "CW", STN = "ST", BYN = "BY", USD = "BQ", ANG = "SX"
  }
  name         = "Customer paying in ${each.key}"
  currency_iso = each.key == "ANG" ? "XCG" : each.key
  country_iso  = each.value
  realms       = [2]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, PlanOnly: true, ExpectNonEmptyPlan: true}},
		// The plan reads the realm catalogue to check realm 2, once for all ten customers.
		CheckDestroy: func(*terraform.State) error {
			if got := routes(env.apiRequests("")); got != "GET /api/realms" {
				return fmt.Errorf("a plan of new customers sent %s; want one GET /api/realms", got)
			}
			return nil
		},
	})
}

func TestAccCustomer_apiFieldErrorsReachTheUser(t *testing.T) {
	// Without a realm catalogue to check against, the plan leaves realm 999 to CloudLX.
	env := newTestEnv(t, emulator.Options{RealmsPath: emulator.NoPath})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// 999 passes the plan (the realm catalogue cannot be read) but is not in CloudLX's.
			Config:      env.customerConfig(strings.Replace(fullCustomer, "[2, 7]", "[2, 999]", 1)),
			ExpectError: regexp.MustCompile(`(?s)Could not create CloudLX customer.*with cloudlx_customer.test,.*realms.*CloudLX rejected realms.*invalid.*HTTP\s+422`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(env.emu.Customers()); n != 0 {
				return fmt.Errorf("%d customers exist", n)
			}
			return nil
		},
	})
}

func TestAccCustomer_deleteNotSupportedLeavesCustomerAndWarns(t *testing.T) {
	env := newTestEnv(t, emulator.Options{DisableDelete: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: env.customerConfig(fullCustomer)}},
		// The destroy succeeds (the resource leaves state), and the customer is still there.
		CheckDestroy: func(*terraform.State) error {
			if n := len(env.emu.Customers()); n != 1 {
				return fmt.Errorf("%d customers in the emulator, want the 1 that cannot be deleted", n)
			}
			deletes := env.apiRequests("DELETE /api/customers/{id}")
			if len(deletes) != 1 || deletes[0].Status != 405 {
				return fmt.Errorf("DELETE requests: %+v", deletes)
			}
			return nil
		},
	})
}
