package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// No CLI on these machines runs `terraform query` (Terraform 1.14+), so these
// tests call the ListResource RPC the way Terraform does, against the
// emulator, and check what Terraform would receive and what the API was sent.

// listedCustomer is one ListResource result, decoded.
type listedCustomer struct {
	id          int64
	displayName string
	resource    map[string]tftypes.Value // nil unless IncludeResource
}

// list calls ListResource for cloudlx_customer with config (attribute values
// of the list block) and returns the results and the error diagnostics.
func (p *protocolProvider) list(config map[string]tftypes.Value, includeResource bool, limit int64) ([]listedCustomer, string) {
	p.t.Helper()
	schema, ok := p.schemas.ListResourceSchemas["cloudlx_customer"]
	if !ok {
		p.t.Fatalf("the provider has no cloudlx_customer list resource; it has %v", slices.Sorted(maps.Keys(p.schemas.ListResourceSchemas)))
	}
	stream, err := p.server.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName:        "cloudlx_customer",
		Config:          p.dynamicValue(schema.ValueType(), config),
		IncludeResource: includeResource,
		Limit:           limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var out []listedCustomer
	var errs []string
	for r := range stream.Results {
		if msg := errorText(r.Diagnostics); msg != "" {
			errs = append(errs, msg)
			continue
		}
		id, err := p.identityID(r.Identity)
		if err != nil {
			p.t.Fatalf("result %q: %v", r.DisplayName, err)
		}
		c := listedCustomer{id: id, displayName: r.DisplayName}
		if r.Resource != nil {
			if c.resource, err = p.resourceAttrs(r.Resource); err != nil {
				p.t.Fatalf("result %q: %v", r.DisplayName, err)
			}
		}
		out = append(out, c)
	}
	return out, strings.Join(errs, "\n")
}

// listRequests returns the queries of the customer list requests the emulator received.
func listRequests(emu *emulator.Server) []string {
	var out []string
	for _, r := range emu.Requests() {
		switch {
		case r.Route == "GET /api/customers":
			out = append(out, r.Query)
		case !strings.Contains(r.Route, "oauth2"):
			out = append(out, "unexpected "+r.Route)
		}
	}
	return out
}

func pages(n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprintf("max_per_page=200&page=%d", i))
	}
	return out
}

func TestListResource_everyCustomerAcrossPages(t *testing.T) {
	// Five customers, two per page: the provider must follow three pages, one
	// request each, and never read a customer on its own.
	env := newTestEnv(t, emulator.Options{PageSize: 2})
	seeded := seedNamed(t, env.emu, "Acme Ltd", "Globex Corporation", "Acme Labs", "Initech", "Umbrella")
	p := newProtocolProvider(t, env.emulatorSettings(nil))

	got, errs := p.list(nil, false, 0)
	if errs != "" {
		t.Fatal(errs)
	}
	var want []listedCustomer
	for _, c := range seeded {
		want = append(want, listedCustomer{id: c.ID, displayName: c.Name})
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results (identity id, display name):\n  got  %v\n  want %v", got, want)
	}
	if reqs := listRequests(env.emu); !slices.Equal(reqs, pages(3)) {
		t.Errorf("requests: got %q, want one per page %q", reqs, pages(3))
	}
}

func TestListResource_nameRegex(t *testing.T) {
	env := newTestEnv(t, emulator.Options{PageSize: 2})
	seeded := seedNamed(t, env.emu, "Acme Ltd", "Globex Corporation", "Acme Labs", "Initech", "acme lowercase")
	p := newProtocolProvider(t, env.emulatorSettings(nil))

	for _, tc := range []struct {
		regex string
		want  []int // indexes into seeded
	}{
		{"^Acme", []int{0, 2}},
		{"(?i)^acme", []int{0, 2, 4}},
		{"^Acme Ltd$", []int{0}},
		{"Nobody", nil},
	} {
		env.emu.ResetRequests()
		got, errs := p.list(map[string]tftypes.Value{"name_regex": tftypes.NewValue(tftypes.String, tc.regex)}, false, 0)
		if errs != "" {
			t.Fatalf("%s: %s", tc.regex, errs)
		}
		var want []listedCustomer
		for _, i := range tc.want {
			want = append(want, listedCustomer{id: seeded[i].ID, displayName: seeded[i].Name})
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("name_regex %q:\n  got  %v\n  want %v", tc.regex, got, want)
		}
		// The filter is the provider's: the whole list is still read.
		if reqs := listRequests(env.emu); !slices.Equal(reqs, pages(3)) {
			t.Errorf("name_regex %q: requests %q, want %q", tc.regex, reqs, pages(3))
		}
	}
}

func TestListResource_invalidNameRegexIsRefusedBeforeAnyRequest(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	p := newProtocolProvider(t, env.emulatorSettings(nil))
	resp, err := p.server.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
		TypeName: "cloudlx_customer",
		Config: p.dynamicValue(p.schemas.ListResourceSchemas["cloudlx_customer"].ValueType(),
			map[string]tftypes.Value{"name_regex": tftypes.NewValue(tftypes.String, "Acme(")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError ||
		resp.Diagnostics[0].Attribute.String() != tftypes.NewAttributePath().WithAttributeName("name_regex").String() {
		t.Fatalf("diagnostics: %+v", resp.Diagnostics)
	}
	if reqs := listRequests(env.emu); len(reqs) != 0 {
		t.Errorf("validation sent %q", reqs)
	}
}

func TestListResource_includeResourceHoldsWhatARefreshHolds(t *testing.T) {
	env := newTestEnv(t, emulator.Options{PageSize: 2})
	seeded := seedNamed(t, env.emu, "Acme Ltd", "Globex Corporation", "Initech")
	p := newProtocolProvider(t, env.emulatorSettings(nil))

	got, errs := p.list(nil, true, 0)
	if errs != "" {
		t.Fatal(errs)
	}
	if len(got) != len(seeded) {
		t.Fatalf("%d results, want %d", len(got), len(seeded))
	}
	// Each listed resource must equal what an import of that customer holds
	// after its refresh: the same attributes, the same values.
	for i, c := range got {
		if c.resource == nil {
			t.Fatalf("result %d has no resource although IncludeResource was set", i)
		}
		id, err := int64Of(c.resource["id"])
		if err != nil || id != seeded[i].ID || stringOf(c.resource["name"]) != seeded[i].Name {
			t.Errorf("result %d: resource id %d (%v), name %q; want %d, %q", i, id, err, stringOf(c.resource["name"]), seeded[i].ID, seeded[i].Name)
		}
		imported := p.importAndRead(seeded[i].ID)
		for name, want := range imported {
			if !c.resource[name].Equal(want) {
				t.Errorf("customer %d: listed %s = %s, a refresh after import has %s", seeded[i].ID, name, c.resource[name], want)
			}
		}
		for _, name := range []string{"admin_user", "timeouts"} {
			if !c.resource[name].IsNull() {
				t.Errorf("customer %d: %s = %s, want null (the API never returns it)", seeded[i].ID, name, c.resource[name])
			}
		}
	}
}

func TestListResource_limit(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	seeded := seedNamed(t, env.emu, "Acme Ltd", "Globex Corporation", "Initech")
	p := newProtocolProvider(t, env.emulatorSettings(nil))
	got, errs := p.list(nil, false, 2)
	if errs != "" {
		t.Fatal(errs)
	}
	want := []listedCustomer{{id: seeded[0].ID, displayName: seeded[0].Name}, {id: seeded[1].ID, displayName: seeded[1].Name}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("limit 2:\n  got  %v\n  want %v", got, want)
	}
	if reqs := listRequests(env.emu); !slices.Equal(reqs, pages(1)) {
		t.Errorf("requests %q, want the one page of an API that does not paginate", reqs)
	}
}

func TestListResource_failingListIsAnError(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failPage string // the page query that fails
		status   int
	}{
		{"first page", "1", http.StatusForbidden},
		{"a later page", "2", http.StatusInternalServerError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newWrappedTestEnv(t, emulator.Options{PageSize: 2}, func(emu *emulator.Server) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/api/customers" && r.URL.Query().Get("page") == tc.failPage {
						http.Error(w, `{"message":"list failed on purpose","status_code":`+fmt.Sprint(tc.status)+`}`, tc.status)
						return
					}
					emu.ServeHTTP(w, r)
				})
			})
			seedNamed(t, env.emu, "Acme Ltd", "Globex Corporation", "Initech")
			// No retries, so the failure is final at once.
			p := newProtocolProvider(t, env.emulatorSettings(map[string]tftypes.Value{"max_retries": tftypes.NewValue(tftypes.Number, 0)}))

			got, errs := p.list(nil, false, 0)
			if len(got) != 0 {
				t.Errorf("a failing list returned results: %v", got)
			}
			for _, want := range []string{"Could not list CloudLX customers", "GET " + env.url + "/api/customers", fmt.Sprint(tc.status), "list failed on purpose"} {
				if !strings.Contains(errs, want) {
					t.Errorf("the error does not say %q:\n%s", want, errs)
				}
			}
		})
	}
}

// TestQueryExample runs the list blocks of the adoption guide's query file
// the way `terraform query` would, since no CLI here reads .tfquery.hcl: each
// block's config must validate against the list resource's schema, and
// listing with it must find what the guide says (names starting with Acme).
func TestQueryExample(t *testing.T) {
	const file = "../../examples/adoption/query/main.tfquery.hcl"
	parsed, diags := hclparse.NewParser().ParseHCLFile(file)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	content, diags := parsed.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "list", LabelNames: []string{"type", "name"}}}})
	if diags.HasErrors() || len(content.Blocks) == 0 {
		t.Fatalf("%s: %v (%d list blocks)", file, diags, len(content.Blocks))
	}
	env := newTestEnv(t, emulator.Options{PageSize: 2})
	seeded := seedNamed(t, env.emu, "Acme Ltd", "Globex Corporation", "Acme Labs")
	p := newProtocolProvider(t, env.emulatorSettings(nil))
	for _, block := range content.Blocks {
		if block.Labels[0] != "cloudlx_customer" {
			t.Errorf("list %q: type %q, want cloudlx_customer", block.Labels[1], block.Labels[0])
			continue
		}
		body, diags := block.Body.Content(&hcl.BodySchema{
			Attributes: []hcl.AttributeSchema{{Name: "provider", Required: true}, {Name: "limit"}, {Name: "include_resource"}},
			Blocks:     []hcl.BlockHeaderSchema{{Type: "config"}},
		})
		if diags.HasErrors() || len(body.Blocks) != 1 {
			t.Fatalf("list %q: %v", block.Labels[1], diags)
		}
		var limit int64 = 100 // Terraform's default
		if a, ok := body.Attributes["limit"]; ok {
			v, _ := a.Expr.Value(nil)
			n, _ := v.AsBigFloat().Int64()
			limit = n
		}
		attrs, diags := body.Blocks[0].Body.JustAttributes()
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		config := map[string]tftypes.Value{}
		for name, a := range attrs {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() || v.Type() != cty.String {
				t.Fatalf("config.%s: %v (this test reads string literals only)", name, diags)
			}
			config[name] = tftypes.NewValue(tftypes.String, v.AsString())
		}
		resp, err := p.server.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
			TypeName: "cloudlx_customer", Config: p.dynamicValue(p.schemas.ListResourceSchemas["cloudlx_customer"].ValueType(), config),
		})
		if err != nil || errorText(resp.Diagnostics) != "" {
			t.Fatalf("list %q does not validate: %v %s", block.Labels[1], err, errorText(resp.Diagnostics))
		}
		got, errs := p.list(config, false, limit)
		want := []listedCustomer{{id: seeded[0].ID, displayName: "Acme Ltd"}, {id: seeded[2].ID, displayName: "Acme Labs"}}
		if errs != "" || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("list %q found %v (%s), want %v", block.Labels[1], got, errs, want)
		}
	}
}
