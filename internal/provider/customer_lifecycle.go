package provider

// The lifecycle rules of cloudlx_customer that keep a create from duplicating
// a customer and make a destroy say at plan time what it will do:
//   - deletion_policy (DELETE, ABANDON, PREVENT, as in Google's providers):
//     the plan of a destroy warns (ABANDON) or fails (PREVENT), and Delete
//     follows it;
//   - the duplicate-name guard: a plan that creates a customer whose exact
//     name CloudLX already holds fails, unless allow_duplicate_name is set;
//   - a create whose answer was lost is decided on evidence: the plan proved
//     no customer had the name, so one list read after the POST tells whether
//     it landed.
// Both settings live in Terraform state only: the API never sees them, so
// changing one plans an update that sends nothing (changedFields ignores them).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// The values of deletion_policy.
const (
	deletionPolicyDelete  = "DELETE"
	deletionPolicyAbandon = "ABANDON"
	deletionPolicyPrevent = "PREVENT"
)

var deletionPolicies = []string{deletionPolicyDelete, deletionPolicyAbandon, deletionPolicyPrevent}

const (
	deletionPolicyDescription = "What destroying this resource does to the customer in CloudLX, with the values and " +
		"meaning of Google's providers. `DELETE` (the default) sends `DELETE /api/customers/{id}`. `ABANDON` sends nothing: " +
		"the customer is only removed from Terraform state and remains in CloudLX, and the plan says so. `PREVENT` fails " +
		"every plan that would destroy the customer (`terraform destroy`, or removing its resource block), before anyone " +
		"approves it. It is kept in Terraform state only: changing it sends nothing to the API, and a destroy follows the " +
		"value in state, so apply a change of it before the destroy it should govern."
	allowDuplicateNameDescription = "Whether this resource may create a customer whose exact name another CloudLX " +
		"customer already has. By default (`false`) a plan that creates the customer fails when the name is taken, naming " +
		"the customer that has it and the `import` block that adopts it. Set `true` only when a second customer of the " +
		"same name is really intended. It is kept in Terraform state only and matters only when the customer is created."
)

// deletionPolicyValidator accepts the three values, in uppercase as Google's
// providers spell them.
var deletionPolicyValidator = stringCheck{
	description: `One of "DELETE", "ABANDON" or "PREVENT".`,
	check: func(_ path.Path, value string) (string, string) {
		if slices.Contains(deletionPolicies, value) {
			return "", ""
		}
		detail := fmt.Sprintf("deletion_policy is %q; it must be \"DELETE\" (a destroy deletes the customer in CloudLX; the "+
			"default), \"ABANDON\" (a destroy only removes it from Terraform state) or \"PREVENT\" (a plan that would "+
			"destroy it fails).", value)
		if upper := strings.ToUpper(strings.TrimSpace(value)); upper != value && slices.Contains(deletionPolicies, upper) {
			detail += fmt.Sprintf(" Did you mean %q?", upper)
		}
		return "Invalid deletion_policy", detail
	},
}

// defaultStateOnlySettings gives the state-only settings their defaults where
// state lacks them: after an import, and in state written before they
// existed. Read calls it, so the plan after either is empty.
func (m *customerResourceModel) defaultStateOnlySettings() {
	if m.DeletionPolicy.IsNull() || m.DeletionPolicy.IsUnknown() {
		m.DeletionPolicy = types.StringValue(deletionPolicyDelete)
	}
	if m.AllowDuplicateName.IsNull() || m.AllowDuplicateName.IsUnknown() {
		m.AllowDuplicateName = types.BoolValue(false)
	}
}

// planDestroy says at plan time what destroying the customer in state (a
// `terraform destroy`, or a resource block removed from the configuration)
// will do: ABANDON warns that the customer remains in CloudLX, PREVENT fails
// the plan. Terraform 1.3 and later plan every destroy through the provider.
func planDestroy(ctx context.Context, state tftypes.Value) diag.Diagnostics {
	if state.IsNull() || !state.IsKnown() {
		return nil
	}
	var m customerResourceModel
	if diags := getModel(ctx, state, &m); diags.HasError() {
		return diags
	}
	switch m.DeletionPolicy.ValueString() {
	case deletionPolicyAbandon:
		return diag.Diagnostics{customerWillBeAbandoned(m.Name.ValueString(), m.ID.ValueInt64())}
	case deletionPolicyPrevent:
		return diag.Diagnostics{customerDestroyPrevented(m.Name.ValueString(), m.ID.ValueInt64())}
	}
	return nil
}

// deleteWithoutRequest carries out a deletion_policy that sends nothing, and
// reports whether it did: ABANDON removes the customer from state only;
// PREVENT refuses (the plan already failed, unless it ran on a Terraform
// that plans no destroy, or this is the destroy half of a -replace).
func deleteWithoutRequest(state *customerResourceModel, diags *diag.Diagnostics) bool {
	switch state.DeletionPolicy.ValueString() {
	case deletionPolicyAbandon:
		diags.Append(customerAbandoned(state.Name.ValueString(), state.ID.ValueInt64()))
		return true
	case deletionPolicyPrevent:
		diags.Append(customerDestroyPrevented(state.Name.ValueString(), state.ID.ValueInt64()))
		return true
	}
	return false
}

// replacedKey is the private-state key under which the plan of an existing
// customer records which customer it is (replacedCustomer).
const replacedKey = "replaced"

// replacedCustomer is the customer a planned object held, and its
// deletion_policy. Terraform plans a replacement (-replace, a tainted object)
// in two calls, and hands the private state of the first (an update of the
// existing customer) to the second (the create of its successor): the
// duplicate-name check then knows that the customer holding the name is the
// one being replaced.
type replacedCustomer struct {
	ID             int64  `json:"id"`
	DeletionPolicy string `json:"deletion_policy"`
}

// privateData is the framework's private state of a resource, as
// ModifyPlanRequest and ModifyPlanResponse carry it.
type privateData interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// noteReplaced records, in the plan of an existing customer (state), which
// customer it is, for the create half of a replacement (see replacedCustomer).
// Without the note, a replacement's create is checked like any other, so a
// failure to write it is not an error.
func noteReplaced(ctx context.Context, state tftypes.Value, private privateData) {
	var attrs map[string]tftypes.Value
	if private == nil || state.As(&attrs) != nil {
		return
	}
	var id big.Float
	var policy *string
	if attrs["id"].As(&id) != nil || attrs["deletion_policy"].As(&policy) != nil {
		return
	}
	r := replacedCustomer{DeletionPolicy: deletionPolicyDelete}
	r.ID, _ = id.Int64()
	if policy != nil {
		r.DeletionPolicy = *policy
	}
	if value, err := json.Marshal(r); err == nil {
		_ = private.SetKey(ctx, replacedKey, value)
	}
}

// replaced returns the customer a create replaces, if it is the create half
// of a replacement (see replacedCustomer).
func replaced(ctx context.Context, private privateData) (replacedCustomer, bool) {
	var r replacedCustomer
	if private == nil {
		return r, false
	}
	raw, diags := private.GetKey(ctx, replacedKey)
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &r) != nil {
		return r, false
	}
	return r, r.ID > 0
}

// planCreate is the duplicate-name guard of a plan that creates a customer.
// A name or setting not known until apply is checked then: the apply plans
// the create again, with every value known, just before it sends the POST.
func (r *customerResource) planCreate(ctx context.Context, plan tftypes.Value, private privateData) (diags diag.Diagnostics) {
	if r.data == nil {
		return nil // the provider is not configured yet; the apply checks it
	}
	defer redactDiagnostics(r.data.redactorOrNil(), &diags)
	var m customerResourceModel
	if diags = getModel(ctx, plan, &m); diags.HasError() {
		return diags
	}
	if m.Name.IsUnknown() || m.AllowDuplicateName.IsUnknown() {
		return nil
	}
	// The create half of a replacement: the old customer is destroyed first
	// (unless create_before_destroy), as its deletion_policy says.
	var replacing int64
	if old, ok := replaced(ctx, private); ok {
		switch old.DeletionPolicy {
		case deletionPolicyPrevent:
			return diag.Diagnostics{customerDestroyPrevented(m.Name.ValueString(), old.ID)}
		case deletionPolicyDelete:
			replacing = old.ID // deleted before the create: its name does not count
		}
	}
	return r.data.names.check(ctx, m.Name.ValueString(), m.AllowDuplicateName.ValueBool(), replacing)
}

// nameGuard checks the names of the customers one provider process plans to
// create: against the customer list, read at most once per process (shared
// with the bulk refresh, which may already hold it), and against each other.
// It is safe for concurrent use: Terraform plans up to -parallelism
// resources at once, and every check waits for the one list load.
type nameGuard struct {
	client  *cloudlx.Client
	refresh *bulkRefresh

	mu      sync.Mutex
	loaded  chan struct{}                 // closed once byName and err are set; nil before the first check
	byName  map[string][]cloudlx.Customer // id and name of every listed customer, by exact name
	err     error
	planned map[string]bool // names planned for creation -> whether one of those creates allows no duplicate
}

func newNameGuard(client *cloudlx.Client, refresh *bulkRefresh) *nameGuard {
	return &nameGuard{client: client, refresh: refresh, planned: map[string]bool{}}
}

// check refuses a create of name that would make a second customer of that
// name: one CloudLX holds, or one another create of this plan makes. With
// allowDuplicate, only another create of this plan that allows none refuses
// it. replacing (0 for none) is the customer this create replaces, deleted
// before it: its name does not count. Names are compared exactly, as CloudLX
// stores them.
//
// Terraform plans each create once per walk (the apply walk plans it again,
// in a process of its own), so a name planned twice in one process is two
// resources of one configuration. Which of the two reports it depends on the
// order Terraform plans them in; the plan fails either way.
func (g *nameGuard) check(ctx context.Context, name string, allowDuplicate bool, replacing int64) diag.Diagnostics {
	g.mu.Lock()
	strict, plannedBefore := g.planned[name]
	g.planned[name] = strict || !allowDuplicate
	g.mu.Unlock()
	if plannedBefore && (strict || !allowDuplicate) {
		return diag.Diagnostics{nameCreatedTwice(name, allowDuplicate)}
	}
	if allowDuplicate {
		return nil
	}
	byName, err := g.existing(ctx)
	if err != nil {
		var diags diag.Diagnostics
		if _, isTLS := tlsFailureDetail(err); isTLS || errors.As(err, new(*cloudlx.AuthError)) {
			// Nothing can reach the API: say what to fix, as every call does.
			addAPIError(&diags, "Could not check that no CloudLX customer has this name", err)
			return diags
		}
		return diag.Diagnostics{nameCheckFailed(name, g.client.URL(customersPath), err)}
	}
	taken := slices.DeleteFunc(slices.Clone(byName[name]), func(c cloudlx.Customer) bool { return c.ID == replacing })
	if len(taken) > 0 {
		return diag.Diagnostics{nameTaken(name, taken)}
	}
	return nil
}

// existing returns the listed customers by name, loading the list on the
// first call. The load is detached from the check that starts it: every check
// waits for it, each for as long as its own context allows.
func (g *nameGuard) existing(ctx context.Context) (map[string][]cloudlx.Customer, error) {
	g.mu.Lock()
	if g.loaded == nil {
		g.loaded = make(chan struct{})
		go g.load(context.WithoutCancel(ctx))
	}
	loaded := g.loaded
	g.mu.Unlock()
	select {
	case <-loaded:
		return g.byName, g.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *nameGuard) load(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	byName := map[string][]cloudlx.Customer{}
	listed, err := g.refresh.List(ctx)
	if err != nil {
		// The shared load fails fast on a 5xx or a dropped connection (it
		// waits out a 429): reads have a cheaper way than retrying, their own
		// GETs. This check has none, so it reads the list once more, with the
		// client's retries, before it fails the plan.
		var customers []cloudlx.Customer
		if customers, err = g.client.ListCustomers(ctx); err == nil {
			listed = indexByID(customers)
		}
	}
	for _, c := range listed {
		if c.Name == "" && err == nil {
			// An entry without its name cannot be told apart from the name
			// planned: the list is no evidence that the name is free.
			err = &cloudlx.IncompleteError{Method: http.MethodGet, URL: g.client.URL(customersPath), CustomerID: c.ID,
				Listed: true, Missing: []string{"name"}}
		}
		byName[c.Name] = append(byName[c.Name], cloudlx.Customer{ID: c.ID, Name: c.Name})
	}
	g.byName, g.err = byName, err
	close(g.loaded)
}

// createOnEvidence decides a create whose answer was lost (err: no answer, or
// a server error that may follow the work). The plan proved that no customer
// had this name (the apply planned it again just before the POST), so one
// read of the customer list decides what happened:
//   - none has the name: the POST never landed, and it is sent again, once
//     (a second lost answer is decided the same way, without a third POST);
//   - exactly one: this POST created it, and it is returned to be saved;
//   - several: an error listing them (someone else created one meanwhile).
//
// With allow_duplicate_name a customer of that name may have existed before,
// so the list proves nothing and the create fails as it always did, asking
// the user to look. It returns the customer to save (possibly incomplete,
// for Create to read back), or nil with the reason in diags.
func (r *customerResource) createOnEvidence(ctx context.Context, plan *customerResourceModel, body cloudlx.CustomerCreate,
	err error, diags *diag.Diagnostics) *cloudlx.Customer {
	if plan.AllowDuplicateName.ValueBool() {
		diags.Append(customerMayHaveBeenCreated(body.Name, err, "This resource sets allow_duplicate_name = true, so "+
			"another customer of that name may have existed before, and the customer list cannot tell which one this "+
			"request created."))
		return nil
	}
	for sent := 1; ; sent++ {
		customers, listErr := r.data.client.ListCustomers(ctx)
		if listErr != nil {
			diags.Append(customerMayHaveBeenCreated(body.Name, err, fmt.Sprintf("The customer list, which would tell, "+
				"could not be read either: %v", listErr)))
			return nil
		}
		var named []cloudlx.Customer
		for _, c := range customers {
			if c.Name == body.Name {
				named = append(named, c)
			}
		}
		switch {
		case len(named) == 1:
			found := named[0]
			diags.Append(lostCreateAnswerFound(body.Name, found.ID, sent, err))
			if !found.IsComplete() {
				// A list may abbreviate its entries: Create reads it with one GET.
				found = cloudlx.Customer{ID: found.ID, Name: found.Name}
			}
			return &found
		case len(named) > 1:
			diags.Append(lostCreateSeveralNamed(body.Name, named, err))
			return nil
		case sent == 2:
			diags.Append(createNotLanded(body.Name, err))
			return nil
		}
		// No customer has the name: the POST never landed. Send it again.
		created, againErr := r.data.client.CreateCustomer(ctx, body)
		if againErr == nil {
			diags.Append(createSentAgain(body.Name, created.ID, err))
			return created
		}
		if !cloudlx.MayHaveSucceeded(againErr) {
			addAPIError(diags, "Could not create CloudLX customer", againErr)
			return nil
		}
		err = againErr
	}
}
