package provider

// The cloudlx_customer resource's lifecycle: what each Terraform operation
// sends to CloudLX and saves to state. Its schema is in
// resource_customer_schema.go, its model and the conversions to and from the
// API in customer_model.go, its identity in resource_customer_identity.go, the
// plan's computed details in plan_details.go, the reconciling of a write's
// answer in write_answer.go, and its long diagnostics in diagnostics.go.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

var (
	_ resource.Resource                   = (*customerResource)(nil)
	_ resource.ResourceWithConfigure      = (*customerResource)(nil)
	_ resource.ResourceWithImportState    = (*customerResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*customerResource)(nil)
	_ resource.ResourceWithValidateConfig = (*customerResource)(nil)
	_ resource.ResourceWithIdentity       = (*customerResource)(nil)
)

func newCustomerResource() resource.Resource { return &customerResource{} }

type customerResource struct {
	data *providerData
}

func (r *customerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (r *customerResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks what no single attribute can: a customer can only use
// a sub-realm it can see. It also refuses timeouts that are not positive (the
// timeouts block accepts "-5m" or "0s", which would fail every operation at
// once with a deadline error instead of saying what is wrong).
func (r *customerResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	for _, op := range []string{"create", "read", "update", "delete"} {
		var v types.String
		p := path.Root("timeouts").AtName(op)
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, p, &v)...)
		if v.IsNull() || v.IsUnknown() {
			continue
		}
		if d, err := time.ParseDuration(v.ValueString()); err == nil && d <= 0 {
			resp.Diagnostics.Append(timeoutNotPositive(op, v.ValueString()))
		}
	}
	var shown, enabled types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("shown_sub_realms"), &shown)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("enabled_sub_realms"), &enabled)...)
	if resp.Diagnostics.HasError() || shown.IsUnknown() || enabled.IsUnknown() || enabled.IsNull() {
		return
	}
	visible := map[int64]bool{}
	for _, v := range shown.Elements() {
		id, ok := v.(types.Int64)
		if !ok || id.IsUnknown() {
			return // checked again once every id is known
		}
		visible[id.ValueInt64()] = true
	}
	for _, v := range enabled.Elements() {
		id, ok := v.(types.Int64)
		if !ok || id.IsUnknown() || id.IsNull() {
			continue
		}
		if !visible[id.ValueInt64()] {
			resp.Diagnostics.Append(subRealmEnabledNotShown(id.ValueInt64()))
		}
	}
}

// ModifyPlan keeps the plan exactly right on updates: each computed detail is
// copied from state unless one of its inputs changes, so a name-only change
// shows no "(known after apply)" noise, while a realm change still plans new
// realm details. It also warns that admin_user only applies at creation. A
// destroy and a create are planned by the lifecycle rules (customer_lifecycle.go).
func (r *customerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(r.checkPlanInputs(ctx, req)...) // inputs CloudLX would refuse, creates included: plan_checks.go
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.Append(planDestroy(ctx, req.State.Raw)...) // deletion_policy, at plan time
		return
	}
	if req.State.Raw.IsNull() {
		// Everything computed is unknown until the API answers; the name must be free.
		resp.Diagnostics.Append(r.planCreate(ctx, req.Plan.Raw, req.Private)...)
		return
	}
	noteReplaced(ctx, req.State.Raw, resp.Private) // for the create half of a replacement
	plan, adminUserChanged, err := planWithDetails(req.Plan.Raw, req.State.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Could not plan the CloudLX customer", err.Error())
		return
	}
	if adminUserChanged {
		resp.Diagnostics.Append(adminUserOnlyAtCreate())
	}
	resp.Plan.Raw = plan
}

func (r *customerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer redactDiagnostics(r.data.redactorOrNil(), &resp.Diagnostics)
	defer recordIdentity(ctx, resp.Identity, &resp.Diagnostics, &resp.State)
	var plan customerResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan.Raw, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	body, d := plan.createRequest(ctx)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := r.data.client.CreateCustomer(ctx, body)
	if err != nil {
		if !cloudlx.MayHaveSucceeded(err) {
			addAPIError(&resp.Diagnostics, "Could not create CloudLX customer", err)
			return
		}
		// The answer was lost: the customer list decides (customer_lifecycle.go).
		if created = r.createOnEvidence(ctx, &plan, body, err, &resp.Diagnostics); created == nil {
			return
		}
	}

	r.data.refresh.Forget(created.ID) // written by this process: never answered from a list
	customer := created
	if !created.IsComplete() {
		// The API's create response may omit realm ids (its own docs show that);
		// state needs them, so read the customer once.
		got, err := r.data.client.GetCustomer(ctx, created.ID)
		if err != nil {
			// The customer exists: save what is known rather than losing it.
			// The next refresh fills in the details.
			plan.saveAfterIncompleteCreate(created)
			resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
			resp.Diagnostics.Append(customerCreatedNotReadBack(created.Name, created.ID, err))
			return
		}
		customer = got
	}
	state, d := settleWriteAnswer(plan, customer, sentByCreate)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
}

func (r *customerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer redactDiagnostics(r.data.redactorOrNil(), &resp.Diagnostics)
	defer recordIdentity(ctx, resp.Identity, &resp.Diagnostics, &resp.State, &req.State)
	var state customerResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// One GET, or the customer list once this process has read many (see
	// bulkRefresh). A 404 only ever comes from the customer's own GET.
	customer, err := r.data.refresh.Customer(ctx, state.ID.ValueInt64())
	if cloudlx.IsNotFound(err) {
		if err = r.data.refresh.ConfirmGone(ctx, state.ID.ValueInt64(), err); err == nil {
			// Deleted outside Terraform, and the list agrees: drop it, so the
			// plan offers to create it again.
			resp.State.RemoveResource(ctx)
			return
		}
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read CloudLX customer %d", state.ID.ValueInt64()), err)
		return
	}
	// admin_user, timeouts and the state-only settings are not returned by the
	// API and stay as they are (defaulted after an import).
	resp.Diagnostics.Append(state.setFromAPI(customer)...)
	state.defaultStateOnlySettings()
	resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
}

func (r *customerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer redactDiagnostics(r.data.redactorOrNil(), &resp.Diagnostics)
	defer recordIdentity(ctx, resp.Identity, &resp.Diagnostics, &resp.State, &req.State)
	var plan, state customerResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	patch, d := changedFields(ctx, &plan, &state)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueInt64()
	if patch.IsEmpty() {
		// Only admin_user or timeouts changed: nothing to tell the API.
		plan.ID = state.ID
		fillUnknownFromState(&plan, &state)
		resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
		return
	}
	r.data.refresh.Forget(id)
	updated, err := r.patchCustomer(ctx, id, patch)
	if cloudlx.IsNotFound(err) {
		// Deleted since the plan, if the customer list agrees (the rule Read
		// follows). State keeps it: Terraform keeps the prior state of an
		// update that fails, whatever the provider returns, and an update
		// that succeeds must return the object. The next plan's refresh
		// removes it and offers to create it again.
		if err = r.data.refresh.ConfirmGone(ctx, id, err); err == nil {
			resp.Diagnostics.Append(customerDeletedSincePlan(state.Name.ValueString(), id))
			return
		}
	}
	var conflict *subRealmSetsConflict
	if errors.As(err, &conflict) {
		resp.Diagnostics.Append(subRealmSetsConflictDiag(id, conflict))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not update CloudLX customer %d", id), err)
		return
	}
	if !updated.IsComplete() {
		if updated, err = r.data.client.GetCustomer(ctx, id); err != nil {
			addAPIError(&resp.Diagnostics, fmt.Sprintf("CloudLX customer %d was updated, but reading it back failed", id), err)
			return
		}
	}
	newState, d := settleWriteAnswer(plan, updated, sentByPatch(patch))
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &newState)...)
}

func (r *customerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	defer redactDiagnostics(r.data.redactorOrNil(), &resp.Diagnostics)
	var state customerResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if deleteWithoutRequest(&state, &resp.Diagnostics) {
		return // deletion_policy ABANDON or PREVENT
	}
	id := state.ID.ValueInt64()
	r.data.refresh.Forget(id)
	err := r.data.client.DeleteCustomer(ctx, id)
	if cloudlx.IsNotFound(err) {
		// Already gone, only if the customer list agrees (the rule Read follows).
		err = r.data.refresh.ConfirmGone(ctx, id, err)
	}
	switch status := cloudlx.StatusCode(err); {
	case err == nil:
	case status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented:
		// The documented API has no DELETE. Say so plainly rather than fail
		// every destroy: the resource leaves state, the customer stays.
		resp.Diagnostics.Append(customerStillExists(status, state.Name.ValueString(), id))
	default:
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not delete CloudLX customer %d", id), err)
	}
}

func (r *customerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	defer recordIdentity(ctx, resp.Identity, &resp.Diagnostics, &resp.State)
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		// An import block with identity = { id = 915 } (Terraform and OpenTofu 1.12+).
		if id, ok := importIDFromIdentity(ctx, req.Identity, &resp.Diagnostics); ok {
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
		}
		return
	}
	id, ok := parseImportID(req.ID)
	if !ok {
		resp.Diagnostics.Append(invalidImportID(req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

// parseImportID accepts a customer id written the way the API writes it:
// decimal digits, positive, no sign, spaces or leading zeros, so that a typo
// such as "0915" or "+915" is reported rather than guessed at.
func parseImportID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s {
		return 0, false
	}
	return id, true
}
