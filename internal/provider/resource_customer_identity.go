package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A customer's resource identity is its CloudLX id, which never changes. It
// lets Terraform 1.12+ and OpenTofu 1.12+ import by
//
//	import {
//	  to       = cloudlx_customer.acme
//	  identity = { id = 915 }
//	}
//
// and lets `terraform query` (the cloudlx_customer list resource) name the
// customers it finds. CLIs older than 1.12 neither ask for the identity schema
// nor keep the identity a provider returns: the framework still hands every
// operation an identity to fill (null when the CLI sent none), so the same
// code serves them, and they simply drop what it sets.

type customerIdentityModel struct {
	ID types.Int64 `tfsdk:"id"`
}

func (r *customerResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = customerIdentitySchema()
}

func customerIdentitySchema() identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.Int64Attribute{
				Description:       "The customer's numeric ID in CloudLX, as shown in the portal, such as 915.",
				RequiredForImport: true,
			},
		},
	}
}

// recordIdentity sets the identity from the customer id in the first of
// states that holds one: the state the operation wrote, then the state it
// started from. Create, Read, Update and ImportState defer it, so every way an
// operation can end (a complete create, one whose read-back failed, an update
// that sends nothing) records the identity. A Read that drops a customer
// deleted outside Terraform still answers with the identity it had: the
// framework requires one after every successful Read, and a CLI older than
// 1.12 (or state written before identities existed) sends none to keep.
func recordIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics, states ...*tfsdk.State) {
	if identity == nil {
		return
	}
	for _, state := range states {
		if state.Raw.IsNull() {
			continue
		}
		var id types.Int64
		if d := state.GetAttribute(ctx, path.Root("id"), &id); d.HasError() || id.IsNull() || id.IsUnknown() {
			continue
		}
		diags.Append(identity.Set(ctx, customerIdentityModel{ID: id})...)
		return
	}
	// Nothing names the customer: the operation's own diagnostics say why.
}

// importIDFromIdentity reads the customer id of an import by identity
// (`identity = { id = 915 }` in an import block).
func importIDFromIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) (int64, bool) {
	var m customerIdentityModel
	if diags.Append(identity.Get(ctx, &m)...); diags.HasError() {
		return 0, false
	}
	if m.ID.IsNull() || m.ID.IsUnknown() || m.ID.ValueInt64() <= 0 {
		shown := "null"
		if m.ID.IsUnknown() {
			shown = "unknown"
		} else if !m.ID.IsNull() {
			shown = fmt.Sprint(m.ID.ValueInt64())
		}
		diags.Append(invalidImportIdentity(shown))
		return 0, false
	}
	return m.ID.ValueInt64(), true
}
