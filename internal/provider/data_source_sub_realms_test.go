package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

func TestAccSubRealmsDataSource_catalogue(t *testing.T) {
	// Some sub-realms have no description (null in the API, as in its docs).
	env := newTestEnv(t, emulator.Options{PageSize: 4, Quirks: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            env.providerBlock() + "\ndata \"cloudlx_sub_realms\" \"all\" {}\n",
			ConfigStateChecks: catalogueChecks("data.cloudlx_sub_realms.all", "sub_realms", emulator.SubRealms()),
			Check:             func(*terraform.State) error { return env.expectPagesPerWalk("GET /api/sub-realms", 2) },
		}},
	})
}

func TestAccSubRealmsDataSource_duplicateNamesAreLeftOut(t *testing.T) {
	env := newWrappedTestEnv(t, emulator.Options{}, appendToList("/api/sub-realms", "sub_realms",
		map[string]any{"id": 400, "name": "SD WAN", "description": nil}))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerBlock() + "\ndata \"cloudlx_sub_realms\" \"all\" {}\n",
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cloudlx_sub_realms.all", tfjsonpath.New("sub_realms"), knownvalue.ListSizeExact(7)),
				statecheck.ExpectKnownValue("data.cloudlx_sub_realms.all", tfjsonpath.New("ids_by_name"), knownvalue.MapExact(map[string]knownvalue.Check{
					"Internet Access": num(301), "Cloud SBC & Conversion": num(328), "SIP Trunking": num(340),
					"Number Porting": num(355), "Teams Direct Routing": num(362),
				})),
			},
		}},
	})
}
