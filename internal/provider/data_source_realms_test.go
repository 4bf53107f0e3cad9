package provider

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// appendToList adds items to the list under key in the answers to GET path,
// as a catalogue with more entries than the emulator's would answer.
func appendToList(path, key string, items ...map[string]any) func(*emulator.Server) http.Handler {
	return func(next *emulator.Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || r.URL.Path != path {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc map[string]any
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &doc) != nil {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			list, _ := doc[key].([]any)
			for _, it := range items {
				list = append(list, it)
			}
			doc[key], doc["num_results"] = list, len(list)
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(doc)
		})
	}
}

// catalogueChecks checks a catalogue data source's list (sorted by id) and ids_by_name.
func catalogueChecks(addr, listAttr string, entries []emulator.SubRealm) []statecheck.StateCheck {
	list := make([]knownvalue.Check, len(entries))
	byName := map[string]knownvalue.Check{}
	for i, e := range entries {
		var desc knownvalue.Check = knownvalue.Null()
		if e.Description != nil {
			desc = str(*e.Description)
		}
		list[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{"id": num(e.ID), "name": str(e.Name), "description": desc})
		byName[e.Name] = num(e.ID)
	}
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New(listAttr), knownvalue.ListExact(list)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("ids_by_name"), knownvalue.MapExact(byName)),
	}
}

// realmEntries is the emulator's realm catalogue as catalogue entries.
func realmEntries() []emulator.SubRealm {
	var out []emulator.SubRealm
	for _, r := range emulator.Realms() {
		out = append(out, emulator.SubRealm{ID: r.ID, Name: r.Name, Description: &r.Description})
	}
	return out
}

func TestAccRealmsDataSource_catalogueFeedsResource(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	config := env.providerBlock() + `
data "cloudlx_realms" "all" {}

data "cloudlx_sub_realms" "all" {}

resource "cloudlx_customer" "test" {
  name         = "Catalogue user"
  currency_iso = "EUR"
  country_iso  = "DE"
  realms = [
    data.cloudlx_realms.all.ids_by_name["Networking"],
    data.cloudlx_realms.all.ids_by_name["Voice"],
  ]
  shown_sub_realms   = [for name in ["SD WAN", "Cloud SBC & Conversion"] : data.cloudlx_sub_realms.all.ids_by_name[name]]
  enabled_sub_realms = [data.cloudlx_sub_realms.all.ids_by_name["SD WAN"]]
}
`
	checks := append(catalogueChecks("data.cloudlx_realms.all", "realms", realmEntries()),
		catalogueChecks("data.cloudlx_sub_realms.all", "sub_realms", emulator.SubRealms())...)
	checks = append(checks, attrCheck("realms", ids(2, 7)), attrCheck("shown_sub_realms", ids(313, 328)), attrCheck("enabled_sub_realms", ids(313)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				// The catalogues are read at plan time, so the ids are known in the plan.
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("realms"), ids(2, 7)),
					plancheck.ExpectKnownValue(customerAddr, tfjsonpath.New("shown_sub_realms"), ids(313, 328)),
				}},
				ConfigStateChecks: checks,
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error { return env.expectPagesPerWalk("GET /api/realms", 1) },
					func(*terraform.State) error { return env.expectPagesPerWalk("GET /api/sub-realms", 1) },
					env.checkWrites(`POST /api/customers {"country_iso":"DE","currency_iso":"EUR","enabled_sub_realms":[313],"name":"Catalogue user","realms":[2,7],"shown_sub_realms":[313,328]}`),
				),
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.checkWrites(),
			},
		},
	})
}

func TestAccRealmsDataSource_paginatedAndUnordered(t *testing.T) {
	// Quirks: each page in a random order, with extra fields; 6 realms 4 to a page.
	env := newTestEnv(t, emulator.Options{PageSize: 4, Quirks: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            env.providerBlock() + "\ndata \"cloudlx_realms\" \"all\" {}\n",
			ConfigStateChecks: catalogueChecks("data.cloudlx_realms.all", "realms", realmEntries()),
			Check:             func(*terraform.State) error { return env.expectPagesPerWalk("GET /api/realms", 2) },
		}},
	})
}

func TestAccRealmsDataSource_duplicateNamesAreLeftOut(t *testing.T) {
	env := newWrappedTestEnv(t, emulator.Options{}, appendToList("/api/realms", "realms",
		map[string]any{"id": 8, "name": "Networking", "description": "Second networking realm"}))
	config := env.providerBlock() + "\ndata \"cloudlx_realms\" \"all\" {}\n"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					// Both realms are listed; the name maps to neither.
					statecheck.ExpectKnownValue("data.cloudlx_realms.all", tfjsonpath.New("realms"), knownvalue.ListPartial(map[int]knownvalue.Check{
						1: knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": num(2), "name": str("Networking")}),
						6: knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": num(8), "name": str("Networking")}),
					})),
					statecheck.ExpectKnownValue("data.cloudlx_realms.all", tfjsonpath.New("ids_by_name"), knownvalue.MapExact(map[string]knownvalue.Check{
						"Default": num(1), "Compute": num(3), "Storage": num(4), "Security": num(5), "Voice": num(7),
					})),
				},
			},
			{
				Config:      config + "\noutput \"networking\" {\n  value = data.cloudlx_realms.all.ids_by_name[\"Networking\"]\n}\n",
				ExpectError: errorMatching("The given key does not identify an element in this collection value"),
			},
		},
	})
}

func TestAccRealmsDataSource_inferredPathMissing(t *testing.T) {
	env := newWrappedTestEnv(t, emulator.Options{}, func(next *emulator.Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/realms" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(`{"message":"404 Not Found","status_code":404}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.providerBlock() + "\ndata \"cloudlx_realms\" \"all\" {}\n",
			ExpectError: errorMatching("GET /api/realms answered HTTP 404. That path is inferred"),
		}},
	})
}

func TestCatalogueStateLeavesOutAmbiguousNames(t *testing.T) {
	desc := "x"
	entries := []catalogueEntry{
		{id: 9, name: "Voice"}, {id: 2, name: "Networking", description: &desc}, {id: 8, name: "Networking"},
		{id: 1, name: "Default"}, {id: 3, name: "Default"}, {id: 4, name: "networking"},
	}
	list, byName, diags := catalogueState(context.Background(), entries, "realm", "data.cloudlx_realms.<name>.realms")

	var gotIDs []int64
	for _, e := range list {
		gotIDs = append(gotIDs, e.ID.ValueInt64())
	}
	if want := []int64{1, 2, 3, 4, 8, 9}; !slices.Equal(gotIDs, want) {
		t.Errorf("list ids %v, want %v (sorted)", gotIDs, want)
	}
	if !list[1].Description.Equal(types.StringValue("x")) || !list[0].Description.IsNull() {
		t.Errorf("descriptions: %v, %v", list[0].Description, list[1].Description)
	}
	want := types.MapValueMust(types.Int64Type, map[string]attr.Value{"Voice": types.Int64Value(9), "networking": types.Int64Value(4)})
	if !byName.Equal(want) {
		t.Errorf("ids_by_name %v, want %v", byName, want)
	}
	if diags.HasError() || len(diags) != 1 {
		t.Fatalf("diagnostics %v, want one warning", diags)
	}
	detail := diags[0].Detail()
	for _, part := range []string{`"Default" (ids 1, 3), "Networking" (ids 2, 8)`, "data.cloudlx_realms.<name>.realms"} {
		if !strings.Contains(detail, part) {
			t.Errorf("warning %q lacks %q", detail, part)
		}
	}

	_, byName, diags = catalogueState(context.Background(), nil, "realm", "")
	if len(diags) != 0 || byName.IsNull() || len(byName.Elements()) != 0 {
		t.Errorf("empty catalogue: %v, %v", byName, diags)
	}
}
