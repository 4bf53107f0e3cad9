package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// The live-capable acceptance tests (see target_test.go): state and plan checks
// only, customers named tf-acc-<random>-<test>, ids from the account's catalogues.

// liveCustomer is a customer config body: currency, country and how many of the
// account's realms and sub-realms it uses.
type liveCustomer struct {
	name, currency, country string
	realms                  int
	subRealms               bool // the first two sub-realms shown, the first enabled
}

func (tg *target) customerConfig(c liveCustomer) string {
	sub := "[]"
	enabled := "[]"
	if c.subRealms && len(tg.facts.subRealms) >= 2 {
		sub, enabled = hclIDs(tg.facts.subRealms[:2]), hclIDs(tg.facts.subRealms[:1])
	}
	return tg.providerBlock() + fmt.Sprintf(`
resource "cloudlx_customer" "test" {
  name               = %q
  currency_iso       = %q
  country_iso        = %q
  realms             = %s
  shown_sub_realms   = %s
  enabled_sub_realms = %s
}
`, c.name, c.currency, c.country, tg.realmList(c.realms), sub, enabled)
}

// realmsInState are the realms a config of n realms leaves in state: those n
// and the ones the account adds to every customer.
func (tg *target) realmsInState(n int) []int64 {
	return uniq(append(append([]int64{}, tg.facts.realms[:n]...), tg.facts.implicit...))
}

// realmsCheck is the realms set a config of n realms leaves in state.
func (tg *target) realmsCheck(n int) knownvalue.Check {
	return ids(tg.realmsInState(n)...)
}

// checkDestroyed proves destroy removed the customer where the API has DELETE;
// without it destroy only warns and the customer stays for make sweep.
func (tg *target) checkDestroyed(s *terraform.State) error {
	w := tg.writeAnswers()
	if w.DeleteSupported == nil || !*w.DeleteSupported {
		return nil
	}
	for _, rs := range s.RootModule().Resources {
		if rs.Type != "cloudlx_customer" {
			continue
		}
		var id int64
		if _, err := fmt.Sscan(rs.Primary.ID, &id); err != nil {
			return err
		}
		if _, err := tg.client.GetCustomer(context.Background(), id); !cloudlx.IsNotFound(err) {
			return fmt.Errorf("customer %d still readable after destroy: %w", id, err)
		}
	}
	return nil
}

func TestAccLive_customerCreateImportDestroy(t *testing.T) {
	tg := newTarget(t)
	c := liveCustomer{name: tg.name("lifecycle"), currency: "GBP", country: "GB", realms: 2, subRealms: true}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             tg.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: tg.customerConfig(c),
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("id", knownvalue.Int64Func(func(v int64) error {
						if v <= 0 {
							return fmt.Errorf("id %d", v)
						}
						return nil
					})),
					attrCheck("name", str(c.name)),
					attrCheck("currency_iso", str("GBP")),
					attrCheck("country_iso", str("GB")),
					attrCheck("realms", tg.realmsCheck(2)),
					attrCheck("currency", knownvalue.ObjectPartial(map[string]knownvalue.Check{"iso_3": str("GBP")})),
					attrCheck("country", knownvalue.ObjectPartial(map[string]knownvalue.Check{"iso_2": str("GB")})),
					attrCheck("realm_details", knownvalue.ListSizeExact(len(tg.realmsInState(2)))),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionCreate),
				}},
			},
			// A second plan is empty (the framework checks after every step), and
			// an import reads back what the create stored.
			{ResourceName: customerAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"admin_user"}},
		},
	})
}

func TestAccLive_customerRenameInPlace(t *testing.T) {
	tg := newTarget(t)
	tg.requires(tg.writeAnswers().PatchPartial, "a partial PATCH (the provider sends only changed fields)", "write.patch_partial")
	c := liveCustomer{name: tg.name("rename"), currency: "GBP", country: "GB", realms: 1}
	renamed := c
	renamed.name = tg.name("renamed")
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             tg.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: tg.customerConfig(c), ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(customerAddr, tfjsonpath.New("id")),
			}},
			{
				Config: tg.customerConfig(renamed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("currency"), knownvalue.NotNull()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(customerAddr, tfjsonpath.New("id")),
					attrCheck("name", str(renamed.name)),
					attrCheck("currency_iso", str("GBP")),
					attrCheck("realms", tg.realmsCheck(1)),
				},
			},
		},
	})
}

func TestAccLive_customerRealmsAndSubRealmsReplaced(t *testing.T) {
	tg := newTarget(t)
	w := tg.writeAnswers()
	tg.requires(w.PatchPartial, "a partial PATCH", "write.patch_partial")
	tg.requires(w.ArraysReplace, "PATCH arrays that replace the stored lists", "write.arrays_replace")
	two := liveCustomer{name: tg.name("realms"), currency: "EUR", country: "DE", realms: 2, subRealms: true}
	one := two
	one.realms, one.subRealms = 1, false
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             tg.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: tg.customerConfig(two), ConfigStateChecks: []statecheck.StateCheck{attrCheck("realms", tg.realmsCheck(2))}},
			{
				Config: tg.customerConfig(one),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("realms", tg.realmsCheck(1)),
					attrCheck("shown_sub_realms", knownvalue.SetSizeExact(0)),
					attrCheck("enabled_sub_realms", knownvalue.SetSizeExact(0)),
					attrCheck("sub_realm_details", knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}

func TestAccLive_customerCurrencyAndCountryChange(t *testing.T) {
	tg := newTarget(t)
	w := tg.writeAnswers()
	tg.requires(w.PatchPartial, "a partial PATCH", "write.patch_partial")
	tg.requires(w.CurrencyMutable, "a currency that can change after creation", "write.currency_mutable")
	tg.requires(w.CountryMutable, "a country that can change after creation", "write.country_mutable")
	before := liveCustomer{name: tg.name("currency"), currency: "USD", country: "US", realms: 1}
	after := before
	after.currency, after.country = "EUR", "DE"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             tg.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: tg.customerConfig(before)},
			{
				Config: tg.customerConfig(after),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(customerAddr, tfjsonpath.New("currency")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					attrCheck("currency", knownvalue.ObjectPartial(map[string]knownvalue.Check{"iso_3": str("EUR")})),
					attrCheck("country", knownvalue.ObjectPartial(map[string]knownvalue.Check{"iso_2": str("DE")})),
				},
			},
		},
	})
}

// A change made in the portal shows in the next plan, and the apply puts the
// configured value back.
func TestAccLive_customerDriftDetected(t *testing.T) {
	tg := newTarget(t)
	tg.requires(tg.writeAnswers().PatchPartial, "a partial PATCH (the change made behind Terraform's back sends only name)", "write.patch_partial")
	c := liveCustomer{name: tg.name("drift"), currency: "GBP", country: "GB", realms: 1}
	var id int64
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             tg.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: tg.customerConfig(c), ConfigStateChecks: []statecheck.StateCheck{
				attrCheck("id", knownvalue.Int64Func(func(v int64) error { id = v; return nil })),
			}},
			{
				PreConfig: func() {
					tg.ownedCustomer(id)
					changed := tg.name("drift-changed-in-portal")
					if _, err := tg.client.UpdateCustomer(context.Background(), id, cloudlx.CustomerPatch{Name: &changed}); err != nil {
						t.Fatalf("changing the customer behind Terraform's back: %v", err)
					}
				},
				Config: tg.customerConfig(c),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{attrCheck("name", str(c.name))},
			},
		},
	})
}

// A customer deleted outside Terraform leaves state on the next refresh, and the
// plan creates it again.
func TestAccLive_customerDeletedOutsideTerraform(t *testing.T) {
	tg := newTarget(t)
	tg.requires(tg.writeAnswers().DeleteSupported, "DELETE, to remove the customer behind Terraform's back", "write.delete_supported")
	c := liveCustomer{name: tg.name("deleted"), currency: "GBP", country: "GB", realms: 1}
	var id int64 // for PreConfig, which deletes the customer
	newID := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             tg.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: tg.customerConfig(c), ConfigStateChecks: []statecheck.StateCheck{
				attrCheck("id", knownvalue.Int64Func(func(v int64) error { id = v; return nil })),
				newID.AddStateValue(customerAddr, tfjsonpath.New("id")),
			}},
			{
				PreConfig: func() {
					tg.ownedCustomer(id)
					if err := tg.client.DeleteCustomer(context.Background(), id); err != nil {
						t.Fatalf("deleting the customer behind Terraform's back: %v", err)
					}
				},
				Config: tg.customerConfig(c),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(customerAddr, plancheck.ResourceActionCreate),
				}},
				// The customer created again is not the deleted one.
				ConfigStateChecks: []statecheck.StateCheck{newID.AddStateValue(customerAddr, tfjsonpath.New("id"))},
			},
		},
	})
}

// The data sources find the suite's customer by id, by name and by pattern, and
// the catalogues list the realms the customer uses.
func TestAccLive_dataSources(t *testing.T) {
	tg := newTarget(t)
	c := liveCustomer{name: tg.name("data"), currency: "GBP", country: "GB", realms: 1}
	config := tg.customerConfig(c) + fmt.Sprintf(`
data "cloudlx_customer" "by_id" {
  id = cloudlx_customer.test.id
}

data "cloudlx_customer" "by_name" {
  name       = cloudlx_customer.test.name
  depends_on = [cloudlx_customer.test]
}

data "cloudlx_customers" "ours" {
  name_regex = %q
  depends_on = [cloudlx_customer.test]
}

data "cloudlx_realms" "all" {}
`, "^"+regexp.QuoteMeta(c.name)+"$")
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             tg.checkDestroyed,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(customerAddr, tfjsonpath.New("id")),
				sameID.AddStateValue("data.cloudlx_customer.by_id", tfjsonpath.New("id")),
				sameID.AddStateValue("data.cloudlx_customer.by_name", tfjsonpath.New("id")),
				statecheck.ExpectKnownValue("data.cloudlx_customer.by_id", tfjsonpath.New("name"), str(c.name)),
				statecheck.ExpectKnownValue("data.cloudlx_customer.by_name", tfjsonpath.New("currency_iso"), str("GBP")),
				statecheck.ExpectKnownValue("data.cloudlx_customers.ours", tfjsonpath.New("customers"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": str(c.name)}),
				})),
				statecheck.ExpectKnownValue("data.cloudlx_realms.all", tfjsonpath.New("realms"), knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.NotNull(),
				})),
			},
		}},
	})
}
