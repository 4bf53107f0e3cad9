// Command noop is the benchmark's floor: a provider that serves exactly the
// schema of terraform-provider-cloudlx (its provider block and
// cloudlx_customer, without validators and plan modifiers) and does nothing
// else. Create and Update copy the plan into state with an id, Read returns
// state, Delete forgets. No API, no plan logic. What Terraform and the
// framework spend on it is the least any provider of this schema costs;
// cloudlx-bench runs it side by side with the real provider.
//
// cloudlx-bench builds it as bin/noop/terraform-provider-cloudlx (the name
// Terraform's dev_overrides look for).
package main

import (
	"context"
	"log"
	"math/big"
	"reflect"
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
	resp.State.Raw = known(req.Plan.Raw, tftypes.Value{}, id)
}

func (*noopCustomer) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {
	// The response starts as the prior state.
}

func (*noopCustomer) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = known(req.Plan.Raw, req.State.Raw, tftypes.Value{})
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
