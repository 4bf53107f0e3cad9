package provider

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// protocolProvider is the provider server as Terraform sees it over gRPC,
// called directly through terraform-plugin-go's tfprotov6 interface. It tests
// what no CLI on these machines can drive: the ListResource RPC of `terraform
// query` (Terraform 1.14+), and identity on every CLI version.
type protocolProvider struct {
	t       *testing.T
	server  listingServer
	schemas *tfprotov6.GetProviderSchemaResponse
	ids     *tfprotov6.GetResourceIdentitySchemasResponse
}

// listingServer is a provider server that also serves list resources
// (terraform-plugin-go keeps ListResourceServer out of ProviderServer for now).
type listingServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

// newProtocolProvider starts a provider server and configures it with
// settings (attribute name to value; the rest are null), as Terraform does
// before any other call.
func newProtocolProvider(t *testing.T, settings map[string]tftypes.Value) *protocolProvider {
	t.Helper()
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	withList, ok := server.(listingServer)
	if !ok {
		t.Fatalf("%T does not serve ListResource", server)
	}
	p := &protocolProvider{t: t, server: withList}
	if p.schemas, err = server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	p.requireNoErrors("GetProviderSchema", p.schemas.Diagnostics)
	if p.ids, err = server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{}); err != nil {
		t.Fatal(err)
	}
	p.requireNoErrors("GetResourceIdentitySchemas", p.ids.Diagnostics)

	config := p.dynamicValue(p.schemas.Provider.ValueType(), settings)
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: config})
	if err != nil {
		t.Fatal(err)
	}
	p.requireNoErrors("ConfigureProvider", resp.Diagnostics)
	return p
}

// emulatorSettings configures the provider for env's emulator.
func (e *testEnv) emulatorSettings(extra map[string]tftypes.Value) map[string]tftypes.Value {
	s := map[string]tftypes.Value{
		"endpoint":      tftypes.NewValue(tftypes.String, e.url),
		"client_id":     tftypes.NewValue(tftypes.String, "test-client-id"),
		"client_secret": tftypes.NewValue(tftypes.String, "test-client-secret"),
	}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

// dynamicValue builds an object of type typ from values; attributes not
// given are null, as in a configuration that leaves them out.
func (p *protocolProvider) dynamicValue(typ tftypes.Type, values map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		p.t.Fatalf("%s is not an object type", typ)
	}
	attrs := map[string]tftypes.Value{}
	for name, attrType := range obj.AttributeTypes {
		attrs[name] = tftypes.NewValue(attrType, nil)
	}
	for name, v := range values {
		if _, known := obj.AttributeTypes[name]; !known {
			p.t.Fatalf("no attribute %q in %s", name, typ)
		}
		attrs[name] = v
	}
	dv, err := tfprotov6.NewDynamicValue(obj, tftypes.NewValue(obj, attrs))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// identityValue builds a cloudlx_customer identity.
func (p *protocolProvider) identityValue(id int64) *tfprotov6.ResourceIdentityData {
	p.t.Helper()
	typ := p.ids.IdentitySchemas["cloudlx_customer"].ValueType()
	return &tfprotov6.ResourceIdentityData{
		IdentityData: p.dynamicValue(typ, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.Number, id)}),
	}
}

// identityID decodes the id of a cloudlx_customer identity.
func (p *protocolProvider) identityID(identity *tfprotov6.ResourceIdentityData) (int64, error) {
	if identity == nil || identity.IdentityData == nil {
		return 0, fmt.Errorf("no identity")
	}
	attrs, err := p.decode(identity.IdentityData, p.ids.IdentitySchemas["cloudlx_customer"].ValueType())
	if err != nil {
		return 0, err
	}
	if len(attrs) != 1 {
		return 0, fmt.Errorf("identity has attributes %v, want only id", attrs)
	}
	return int64Of(attrs["id"])
}

// resourceAttrs decodes a cloudlx_customer object into its attributes.
func (p *protocolProvider) resourceAttrs(v *tfprotov6.DynamicValue) (map[string]tftypes.Value, error) {
	return p.decode(v, p.schemas.ResourceSchemas["cloudlx_customer"].ValueType())
}

func (p *protocolProvider) decode(v *tfprotov6.DynamicValue, typ tftypes.Type) (map[string]tftypes.Value, error) {
	raw, err := v.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		return nil, err
	}
	return attrs, nil
}

func int64Of(v tftypes.Value) (int64, error) {
	var n big.Float
	if err := v.As(&n); err != nil {
		return 0, err
	}
	i, acc := n.Int64()
	if acc != big.Exact {
		return 0, fmt.Errorf("%s is not an integer", n.String())
	}
	return i, nil
}

func stringOf(v tftypes.Value) string {
	var s string
	if err := v.As(&s); err != nil {
		return fmt.Sprintf("<%s>", err)
	}
	return s
}

func (p *protocolProvider) requireNoErrors(call string, diags []*tfprotov6.Diagnostic) {
	p.t.Helper()
	if msg := errorText(diags); msg != "" {
		p.t.Fatalf("%s: %s", call, msg)
	}
}

// errorText joins the summaries and details of the error diagnostics.
func errorText(diags []*tfprotov6.Diagnostic) string {
	var out []string
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			out = append(out, d.Summary+": "+d.Detail)
		}
	}
	return strings.Join(out, "\n")
}
