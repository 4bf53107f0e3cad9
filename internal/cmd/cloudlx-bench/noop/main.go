// Command noop is the benchmark's floor: a provider that serves exactly the
// schema of terraform-provider-cloudlx (its provider block and
// cloudlx_customer, without validators and plan modifiers) and does nothing
// else. Create and Update copy the plan into state with an id (and computed
// details of the API's size, see withDetails), Read returns state, Delete
// forgets. No API, no plan logic. What Terraform and the
// framework spend on it is the least any provider of this schema costs;
// cloudlx-bench runs it side by side with the real provider.
//
// cloudlx-bench builds it as bin/noop/terraform-provider-cloudlx (the name
// Terraform's dev_overrides look for).
package main

import (
	"context"
	"fmt"
	"log"
	"math/big"
	"reflect"
	"slices"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	cloudlx "github.com/cloudlx-community/terraform-provider-cloudlx/internal/provider"
)

func main() {
	// The floor logs as the provider does: nothing unless asked.
	if err := cloudlx.DisableUnreadLogs(); err != nil {
		log.Fatal(err)
	}
	err := providerserver.Serve(context.Background(), func() provider.Provider { return noopProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/cloudlx-community/cloudlx"})
	if err != nil {
		log.Fatal(err)
	}
}

type noopProvider struct{}

func (noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cloudlx"
}

func (noopProvider) Schema(ctx context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = bare(cloudlx.ProviderSchema(ctx))
}

func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (noopProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &noopCustomer{} }}
}

func (noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type noopCustomer struct{}

// lastID numbers the customers this process creates.
var lastID atomic.Int64

func (*noopCustomer) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (*noopCustomer) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = bare(cloudlx.CustomerResourceSchema(ctx))
}

// bare returns a schema, attribute or block without validators and plan
// modifiers, all the way down (Attributes, Blocks, NestedObject); defaults
// stay, since they decide what a plan holds. Every framework schema type
// names these fields alike but shares no interface to set them through, so
// one reflective walk serves them all, and any the provider adds later. Maps
// are copied, never changed: the provider's schema may be shared.
func bare[T any](x T) T {
	out, ok := bareValue(reflect.ValueOf(&x).Elem()).Interface().(T)
	if !ok {
		panic("noop: bare changed a schema's type") // bareValue keeps every value's type
	}
	return out
}

func bareValue(in reflect.Value) reflect.Value {
	if in.Kind() == reflect.Interface {
		if in.IsNil() {
			return in
		}
		out := reflect.New(in.Type()).Elem()
		out.Set(bareValue(in.Elem()))
		return out
	}
	if in.Kind() != reflect.Struct {
		return in
	}
	out := reflect.New(in.Type()).Elem()
	out.Set(in)
	for _, name := range []string{"Validators", "PlanModifiers"} {
		if f := out.FieldByName(name); f.IsValid() {
			f.SetZero()
		}
	}
	for _, name := range []string{"Attributes", "Blocks"} {
		if f := out.FieldByName(name); f.IsValid() && f.Kind() == reflect.Map && !f.IsNil() {
			m := reflect.MakeMapWithSize(f.Type(), f.Len())
			for it := f.MapRange(); it.Next(); {
				m.SetMapIndex(it.Key(), bareValue(it.Value()))
			}
			f.Set(m)
		}
	}
	if f := out.FieldByName("NestedObject"); f.IsValid() {
		f.Set(bareValue(f))
	}
	return out
}

func (*noopCustomer) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	id := tftypes.NewValue(tftypes.Number, big.NewFloat(float64(lastID.Add(1))))
	resp.State.Raw = withDetails(known(req.Plan.Raw, tftypes.Value{}, id))
}

func (*noopCustomer) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {
	// The response starts as the prior state.
}

func (*noopCustomer) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = withDetails(known(req.Plan.Raw, req.State.Raw, tftypes.Value{}))
}

func (*noopCustomer) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// known is plan with every unknown value resolved, as an apply must: the id
// to id when given, anything else to the prior state's value at the same
// path, or null.
func known(plan, prior, id tftypes.Value) tftypes.Value {
	out, err := tftypes.Transform(plan, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		if p.Equal(tftypes.NewAttributePath().WithAttributeName("id")) && id.Type() != nil {
			return id, nil
		}
		if prior.Type() != nil {
			if old, _, err := tftypes.WalkAttributePath(prior, p); err == nil {
				if v2, ok := old.(tftypes.Value); ok && v2.IsKnown() {
					return v2, nil
				}
			}
		}
		return tftypes.NewValue(v.Type(), nil), nil
	})
	if err != nil {
		panic(err) // the transform itself never fails
	}
	return out
}

// withDetails fills each computed detail that v holds as null (currency,
// country, realm_details, sub_realm_details: what the API answers and the
// provider stores) with a value of the same shape and about the same size,
// made from the inputs. The floor's state is then as large as the provider's.
// That matters: Terraform's own work grows with the state (it encodes every
// value of every RPC and writes the whole state file as each resource
// completes), and a floor whose details were null would count Terraform's
// work on data the provider must hold as the provider's own cost.
func withDetails(v tftypes.Value) tftypes.Value {
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		panic(err)
	}
	objectType, ok := v.Type().(tftypes.Object)
	if !ok {
		panic(fmt.Sprintf("noop: the customer is a %s, not an object", v.Type()))
	}
	typeOf := objectType.AttributeTypes
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	code := func(name string) string {
		var s string
		_ = attrs[name].As(&s)
		return s
	}
	ids := func(name string) []int64 {
		var elems []tftypes.Value
		_ = attrs[name].As(&elems)
		out := make([]int64, 0, len(elems))
		for _, e := range elems {
			var f big.Float
			if e.As(&f) == nil {
				n, _ := f.Int64()
				out = append(out, n)
			}
		}
		slices.Sort(out)
		return out
	}
	fill := func(name string, build func(tftypes.Type) tftypes.Value) {
		if attrs[name].IsNull() {
			attrs[name] = build(typeOf[name])
		}
	}
	fill("currency", func(typ tftypes.Type) tftypes.Value {
		iso := code("currency_iso")
		return tftypes.NewValue(typ, map[string]tftypes.Value{"name": str(iso + " - Bench Currency"), "iso_2": str(iso[:min(2, len(iso))]), "iso_3": str(iso)})
	})
	fill("country", func(typ tftypes.Type) tftypes.Value {
		return tftypes.NewValue(typ, map[string]tftypes.Value{"name": str("Bench Country " + code("country_iso")), "iso_2": str(code("country_iso"))})
	})
	fill("realm_details", func(typ tftypes.Type) tftypes.Value {
		elemType := elementType(typ)
		var elems []tftypes.Value
		for _, id := range ids("realms") {
			elems = append(elems, tftypes.NewValue(elemType, map[string]tftypes.Value{
				"id": tftypes.NewValue(tftypes.Number, id), "name": str(fmt.Sprintf("Realm %d", id)),
				"description": str(fmt.Sprintf("Bench realm %d, described", id)),
			}))
		}
		return tftypes.NewValue(typ, elems)
	})
	fill("sub_realm_details", func(typ tftypes.Type) tftypes.Value {
		elemType := elementType(typ)
		enabled := ids("enabled_sub_realms")
		var elems []tftypes.Value
		for _, id := range ids("shown_sub_realms") {
			elems = append(elems, tftypes.NewValue(elemType, map[string]tftypes.Value{
				"id": tftypes.NewValue(tftypes.Number, id), "name": str(fmt.Sprintf("Sub-realm %d", id)),
				"description": tftypes.NewValue(tftypes.String, nil), "has_access": tftypes.NewValue(tftypes.Bool, slices.Contains(enabled, id)),
			}))
		}
		return tftypes.NewValue(typ, elems)
	})
	return tftypes.NewValue(v.Type(), attrs)
}

// elementType is the element type of typ, a detail's list type.
func elementType(typ tftypes.Type) tftypes.Type {
	list, ok := typ.(tftypes.List)
	if !ok {
		panic(fmt.Sprintf("noop: a detail is a %s, not a list", typ))
	}
	return list.ElementType
}
