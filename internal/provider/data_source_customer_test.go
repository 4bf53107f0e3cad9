package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// customerAttributes are the attributes a customer has in the resource and in
// the data sources, with the same names and types.
var customerAttributes = []string{
	"id", "name", "currency_iso", "country_iso", "realms", "shown_sub_realms", "enabled_sub_realms",
	"currency", "country", "realm_details", "sub_realm_details",
}

// simpleCustomer is a valid customer with a name of its own and nothing else special.
func simpleCustomer(name string) emulator.CustomerInput {
	return emulator.CustomerInput{Name: name, CurrencyISO: "EUR", CountryISO: "DE", Realms: []int64{2}}
}

// customerChecks checks every attribute of customer c in addr's state; at
// gives the path of one attribute (the root, or inside a list element).
func customerChecks(addr string, at func(attr string) tfjsonpath.Path, c emulator.Customer) []statecheck.StateCheck {
	realms := make([]knownvalue.Check, len(c.Realms))
	realmIDs := make([]int64, len(c.Realms))
	for i, r := range c.Realms {
		realmIDs[i] = r.ID
		realms[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{"id": num(r.ID), "name": str(r.Name), "description": str(r.Description)})
	}
	subs := make([]knownvalue.Check, len(c.SubRealms))
	var shown, enabled []int64
	for i, s := range c.SubRealms {
		shown = append(shown, s.ID)
		if s.HasAccess {
			enabled = append(enabled, s.ID)
		}
		var desc knownvalue.Check = knownvalue.Null()
		if s.Description != nil {
			desc = str(*s.Description)
		}
		subs[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": num(s.ID), "name": str(s.Name), "description": desc, "has_access": knownvalue.Bool(s.HasAccess),
		})
	}
	want := map[string]knownvalue.Check{
		"id":                 num(c.ID),
		"name":               str(c.Name),
		"currency_iso":       str(c.Currency.ISO3),
		"country_iso":        str(c.Country.ISO2),
		"realms":             ids(realmIDs...),
		"shown_sub_realms":   ids(shown...),
		"enabled_sub_realms": ids(enabled...),
		"currency": knownvalue.ObjectExact(map[string]knownvalue.Check{
			"name": str(c.Currency.Name), "iso_2": str(c.Currency.ISO2), "iso_3": str(c.Currency.ISO3),
		}),
		"country":           knownvalue.ObjectExact(map[string]knownvalue.Check{"name": str(c.Country.Name), "iso_2": str(c.Country.ISO2)}),
		"realm_details":     knownvalue.ListExact(realms),
		"sub_realm_details": knownvalue.ListExact(subs),
	}
	checks := make([]statecheck.StateCheck, 0, len(want))
	for _, name := range customerAttributes {
		checks = append(checks, statecheck.ExpectKnownValue(addr, at(name), want[name]))
	}
	return checks
}

func rootAttr(attr string) tfjsonpath.Path { return tfjsonpath.New(attr) }

func TestAccCustomerDataSource_lookupFeedsResource(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	template := env.mustCreateCustomer(emulator.CustomerInput{
		Name: "Template", CurrencyISO: "GBP", CountryISO: "GB",
		Realms: []int64{2, 7}, ShownSubRealms: []int64{313, 328}, EnabledSubRealms: []int64{328},
	})
	// A customer that copies the template's settings, and a lookup by id of
	// the new customer, whose id is unknown until it is created.
	config := env.providerBlock() + `
data "cloudlx_customer" "template" {
  name = "Template"
}

resource "cloudlx_customer" "test" {
  name               = "Copy of ${data.cloudlx_customer.template.name}"
  currency_iso       = data.cloudlx_customer.template.currency_iso
  country_iso        = data.cloudlx_customer.template.country_iso
  realms             = data.cloudlx_customer.template.realms
  shown_sub_realms   = data.cloudlx_customer.template.shown_sub_realms
  enabled_sub_realms = data.cloudlx_customer.template.enabled_sub_realms
}

data "cloudlx_customer" "copy" {
  id = cloudlx_customer.test.id
}
`
	checks := customerChecks("data.cloudlx_customer.template", rootAttr, template)
	checks = append(checks, attrCheck("name", str("Copy of Template")))
	for _, name := range customerAttributes {
		if name != "id" && name != "name" {
			checks = append(checks, statecheck.CompareValuePairs(
				"data.cloudlx_customer.template", tfjsonpath.New(name), customerAddr, tfjsonpath.New(name), compare.ValuesSame()))
		}
		// The lookup by id reads back exactly what the resource holds.
		checks = append(checks, statecheck.CompareValuePairs(
			"data.cloudlx_customer.copy", tfjsonpath.New(name), customerAddr, tfjsonpath.New(name), compare.ValuesSame()))
	}

	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: checks,
				Check: tfresource.ComposeTestCheckFunc(
					env.checkWrites(`POST /api/customers {"country_iso":"GB","currency_iso":"GBP","enabled_sub_realms":[328],"name":"Copy of Template","realms":[2,7],"shown_sub_realms":[313,328]}`),
				),
			},
			{
				Config:           config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: tfresource.ComposeTestCheckFunc(
					// Every read of the lookup by name was one list request, with no GET per customer.
					func(*terraform.State) error { return env.expectPagesPerWalk("GET /api/customers", 1) },
					env.checkWrites(),
				),
			},
		},
	})
}

func TestAccCustomerDataSource_byID(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	acme := env.mustCreateCustomer(emulator.CustomerInput{
		Name: "Acme Ltd", CurrencyISO: "USD", CountryISO: "US",
		Realms: []int64{1, 2}, ShownSubRealms: []int64{313, 328, 340}, EnabledSubRealms: []int64{313, 340},
	})
	env.mustCreateCustomer(simpleCustomer("Other"))
	lookup := func(id int64) string {
		return env.providerBlock() + fmt.Sprintf("\ndata \"cloudlx_customer\" \"test\" {\n  id = %d\n}\n", id)
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config:            lookup(acme.ID),
				ConfigStateChecks: customerChecks("data.cloudlx_customer.test", rootAttr, acme),
				Check: func(*terraform.State) error {
					// Each read was exactly one GET of this customer, and nothing else.
					walks := env.walks()
					if len(walks) == 0 {
						return fmt.Errorf("no API requests")
					}
					want := fmt.Sprintf("GET /api/customers/%d", acme.ID)
					for _, walk := range walks {
						if len(walk) != 1 || walk[0].Method+" "+walk[0].Path != want {
							return fmt.Errorf("a read sent %s, want only %s", routes(walk), want)
						}
					}
					env.emu.ResetRequests()
					return nil
				},
			},
			{
				Config:      lookup(999999),
				ExpectError: errorMatching("No CloudLX customer has id 999999 (GET " + env.url + "/api/customers/999999 answered HTTP 404)"),
			},
		},
	})
}

func TestAccCustomerDataSource_byName(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	acme := env.mustCreateCustomer(emulator.CustomerInput{
		Name: "Acme Ltd", CurrencyISO: "USD", CountryISO: "US",
		Realms: []int64{2, 7}, ShownSubRealms: []int64{313, 328}, EnabledSubRealms: []int64{313},
	})
	globex1 := env.mustCreateCustomer(simpleCustomer("Globex"))
	globex2 := env.mustCreateCustomer(simpleCustomer("Globex"))
	env.mustCreateCustomer(simpleCustomer("Globex Corporation"))
	lookup := func(body string) string {
		return env.providerBlock() + "\ndata \"cloudlx_customer\" \"test\" {\n" + body + "\n}\n"
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			// One match: every attribute, from one list request per read.
			{
				Config:            lookup(`name = "Acme Ltd"`),
				ConfigStateChecks: customerChecks("data.cloudlx_customer.test", rootAttr, acme),
				Check: func(*terraform.State) error {
					if err := env.expectPagesPerWalk("GET /api/customers", 1); err != nil {
						return err
					}
					if others := len(env.apiRequests("")) - len(env.apiRequests("GET /api/customers")); others != 0 {
						return fmt.Errorf("%d requests besides the list: %s", others, routes(env.apiRequests("")))
					}
					return nil
				},
			},
			// No match: names are exact, and near misses are suggested.
			{
				Config: lookup(`name = "acme ltd"`),
				ExpectError: errorMatching(fmt.Sprintf(`0 of the 4 CloudLX customers are named exactly "acme ltd" `+
					`(names are compared exactly, case and spaces included). Customers with a similar name: "Acme Ltd" (id %d).`, acme.ID)),
			},
			{
				Config:      lookup(`name = "Initech"`),
				ExpectError: errorMatching(`0 of the 4 CloudLX customers are named exactly "Initech" (names are compared exactly, case and spaces included).`),
			},
			// Two matches: an error that names both, never a pick.
			{
				Config: lookup(`name = "Globex"`),
				ExpectError: errorMatching(fmt.Sprintf(`2 CloudLX customers are named "Globex": `+
					`"Globex" (id %d), "Globex" (id %d). A lookup by name needs exactly one match; look the customer up by id instead (for example id = %d)`,
					globex1.ID, globex2.ID, globex1.ID)),
			},
		},
	})
}

func TestAccCustomerDataSource_byNameAcrossPages(t *testing.T) {
	env := newTestEnv(t, emulator.Options{PageSize: 2})
	var last emulator.Customer
	for _, name := range []string{"One", "Two", "Three", "Four", "Five"} {
		last = env.mustCreateCustomer(simpleCustomer(name))
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{{
			Config:            env.providerBlock() + "\ndata \"cloudlx_customer\" \"test\" {\n  name = \"Five\"\n}\n",
			ConfigStateChecks: customerChecks("data.cloudlx_customer.test", rootAttr, last),
			// Five customers two to a page: pages 1 and 2 are full, page 3 brings the total to num_results.
			Check: func(*terraform.State) error { return env.expectPagesPerWalk("GET /api/customers", 3) },
		}},
	})
}

func TestAccCustomerDataSource_invalidConfig(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	lookup := func(body string) string {
		return env.providerBlock() + "\ndata \"cloudlx_customer\" \"test\" {\n" + body + "\n}\n"
	}
	cases := []struct{ body, wantErr string }{
		{``, `Exactly one of these attributes must be configured: [id,name]`},
		{"id = 5\n  name = \"Acme Ltd\"", `Exactly one of these attributes must be configured: [id,name]`},
		{`id = 0`, `Attribute id value must be at least 1, got: 0`},
		{`id = 915.5`, `id must be a whole number, such as 2; 915.5 is not one.`},
		{`name = " "`, `name must not be empty or only whitespace`},
	}
	var steps []tfresource.TestStep
	for _, tc := range cases {
		steps = append(steps, tfresource.TestStep{Config: lookup(tc.body), PlanOnly: true, ExpectError: errorMatching(tc.wantErr)})
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy:             env.checkNoAPIRequests("invalid configs"),
	})
}

// sameType: a and b are the same type, or one is the whole-number variant of
// the other (see wholeInt64Type), whose values are the framework's own.
func sameType(a, b attr.Type) bool { return a.Equal(b) || b.Equal(a) }

// TestCustomerDataSourceSchemasMatchTheResource guards what lets users pass
// values from a data source to the resource: the same names and types.
func TestCustomerDataSourceSchemasMatchTheResource(t *testing.T) {
	ctx := context.Background()
	var res resource.SchemaResponse
	newCustomerResource().Schema(ctx, resource.SchemaRequest{}, &res)

	var one datasource.SchemaResponse
	newCustomerDataSource().Schema(ctx, datasource.SchemaRequest{}, &one)
	var list datasource.SchemaResponse
	newCustomersDataSource().Schema(ctx, datasource.SchemaRequest{}, &list)
	listed := list.Schema.Attributes["customers"].GetType().(interface{ ElementType() attr.Type }).ElementType()

	for _, name := range customerAttributes {
		want := res.Schema.Attributes[name].GetType()
		if got := one.Schema.Attributes[name].GetType(); !sameType(got, want) {
			t.Errorf("cloudlx_customer data source: %s is %s, the resource's is %s", name, got, want)
		}
		if got := listed.(attr.TypeWithAttributeTypes).AttributeTypes()[name]; got == nil || !sameType(got, want) {
			t.Errorf("cloudlx_customers: customers[*].%s is %v, the resource's is %s", name, got, want)
		}
	}
	// Nothing more than that, apart from the lookup's own timeouts block.
	if n := len(one.Schema.Attributes); n != len(customerAttributes) {
		t.Errorf("cloudlx_customer data source has %d attributes, want %d", n, len(customerAttributes))
	}
	if n := len(listed.(attr.TypeWithAttributeTypes).AttributeTypes()); n != len(customerAttributes) {
		t.Errorf("cloudlx_customers elements have %d attributes, want %d", n, len(customerAttributes))
	}
}
