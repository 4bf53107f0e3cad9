package main

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	cloudlx "github.com/cloudlx-community/terraform-provider-cloudlx/internal/provider"
)

// countChecks counts the validators and plan modifiers in a schema tree, and
// the defaults, walking it as bare does.
func countChecks(v reflect.Value) (checks, defaults int) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return 0, 0
		}
		return countChecks(v.Elem())
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			c, d := countChecks(it.Value())
			checks, defaults = checks+c, defaults+d
		}
		return checks, defaults
	case reflect.Struct:
		for _, name := range []string{"Validators", "PlanModifiers"} {
			if f := v.FieldByName(name); f.IsValid() {
				checks += f.Len()
			}
		}
		if f := v.FieldByName("Default"); f.IsValid() && !f.IsNil() {
			defaults++
		}
		for _, name := range []string{"Attributes", "Blocks", "NestedObject"} {
			if f := v.FieldByName(name); f.IsValid() {
				c, d := countChecks(f)
				checks, defaults = checks+c, defaults+d
			}
		}
	}
	return checks, defaults
}

func TestTheFloorServesTheProvidersSchemaWithoutItsChecks(t *testing.T) {
	ctx := context.Background()
	var ps provider.SchemaResponse
	noopProvider{}.Schema(ctx, provider.SchemaRequest{}, &ps)
	var rs resource.SchemaResponse
	(&noopCustomer{}).Schema(ctx, resource.SchemaRequest{}, &rs)

	for _, c := range []struct {
		name               string
		real, noop         any
		realType, noopType string
	}{
		{"provider", cloudlx.ProviderSchema(ctx), ps.Schema,
			cloudlx.ProviderSchema(ctx).Type().TerraformType(ctx).String(), ps.Schema.Type().TerraformType(ctx).String()},
		{"cloudlx_customer", cloudlx.CustomerResourceSchema(ctx), rs.Schema,
			cloudlx.CustomerResourceSchema(ctx).Type().TerraformType(ctx).String(), rs.Schema.Type().TerraformType(ctx).String()},
	} {
		realChecks, realDefaults := countChecks(reflect.ValueOf(c.real))
		noopChecks, noopDefaults := countChecks(reflect.ValueOf(c.noop))
		if realChecks == 0 {
			t.Errorf("%s: the provider's schema has no validators or plan modifiers: this test checks nothing", c.name)
		}
		if noopChecks != 0 {
			t.Errorf("%s: the floor keeps %d validators or plan modifiers", c.name, noopChecks)
		}
		if noopDefaults != realDefaults {
			t.Errorf("%s: the floor has %d defaults, the provider %d", c.name, noopDefaults, realDefaults)
		}
		if c.realType != c.noopType {
			t.Errorf("%s: the floor's type differs:\n%s\n%s", c.name, c.noopType, c.realType)
		}
	}
	// The provider's own schema is left alone.
	if n, _ := countChecks(reflect.ValueOf(cloudlx.CustomerResourceSchema(ctx))); n == 0 {
		t.Error("stripping the floor's schema stripped the provider's")
	}
}
