package provider

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// customerFieldPaths maps the API's request field names to the attributes
// that set them, so a 422 field error is shown next to the attribute at fault.
var customerFieldPaths = map[string]path.Path{
	"name":               path.Root("name"),
	"currency_iso":       path.Root("currency_iso"),
	"country_iso":        path.Root("country_iso"),
	"realms":             path.Root("realms"),
	"shown_sub_realms":   path.Root("shown_sub_realms"),
	"enabled_sub_realms": path.Root("enabled_sub_realms"),
	"email":              path.Root("admin_user").AtName("email"),
	"first_name":         path.Root("admin_user").AtName("first_name"),
	"last_name":          path.Root("admin_user").AtName("last_name"),
	"role_group":         path.Root("admin_user").AtName("role_group"),
}

// fieldPath resolves an API field key; Laravel reports array items as "realms.0".
func fieldPath(field string) (path.Path, bool) {
	base, _, _ := strings.Cut(field, ".")
	p, ok := customerFieldPaths[base]
	return p, ok
}

// addAPIError turns a failed call into diagnostics: one error that names the
// operation, method, path, status and the API's message, plus one error per
// field the API rejected, attached to that attribute.
func addAPIError(diags *diag.Diagnostics, operation string, err error) {
	// A certificate that cannot be verified fails the first request, which is
	// usually the token request: its fix (ca_certificates) comes before the
	// generic authentication hint.
	if detail, ok := tlsFailureDetail(err); ok {
		diags.AddError(operation, detail)
		return
	}
	if authErr, ok := cloudlx.AsAuthError(err); ok {
		addAuthError(diags, operation, authErr)
		return
	}
	var unconfirmed *notFoundUnconfirmed
	if errors.As(err, &unconfirmed) {
		diags.AddError(operation, unconfirmedNotFoundDetail(unconfirmed))
		return
	}
	var apiErr *cloudlx.APIError
	if !errors.As(err, &apiErr) {
		diags.AddError(operation, err.Error())
		return
	}
	var unmapped []string
	for _, field := range apiErr.SortedFields() {
		msg := strings.Join(apiErr.FieldErrors[field], " ")
		if p, ok := fieldPath(field); ok {
			diags.AddAttributeError(p, operation, fmt.Sprintf("CloudLX rejected %s: %s\n(%s %s answered HTTP %d.)",
				field, msg, apiErr.Method, apiErr.Path, apiErr.StatusCode))
			continue
		}
		unmapped = append(unmapped, fmt.Sprintf("%s: %s", field, msg))
	}
	if len(unmapped) > 0 || len(apiErr.FieldErrors) == 0 {
		detail := err.Error() // the whole chain: what wrapped the answer says what to do
		if len(apiErr.FieldErrors) > 0 {
			// Error() lists every field; repeat only the ones not shown above.
			detail = (&cloudlx.APIError{Method: apiErr.Method, Path: apiErr.Path, StatusCode: apiErr.StatusCode,
				Message: apiErr.Message, Body: apiErr.Body}).Error() + "\n  " + strings.Join(unmapped, "\n  ")
		}
		diags.AddError(operation, detail)
	}
}

// addAuthError reports a failed token request: an authentication error,
// whatever the status, with what to check for it. The operation that needed
// the token was not sent.
func addAuthError(diags *diag.Diagnostics, operation string, err *cloudlx.AuthError) {
	diags.AddError("CloudLX authentication failed",
		fmt.Sprintf("%s: the provider could not get an access token, so nothing was sent for it.\n\n%v\n\n%s",
			operation, err, authErrorHint(err)))
}

// authErrorHint says what to check for a failed token request.
func authErrorHint(err *cloudlx.AuthError) string {
	credentials := "Check client_id and client_secret in the provider configuration (or the " + envClientID + " and " +
		envClientSecret + " environment variables): they must be the credentials of an API client that exists in the " +
		"CloudLX portal (account menu > API Applications & Webhooks)."
	switch status := err.Status(); {
	case status == http.StatusUnauthorized, status == http.StatusBadRequest, status == http.StatusUnprocessableEntity:
		return credentials
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		return fmt.Sprintf("The token endpoint is not at %s. Check endpoint (or %s): it is the portal's base URL, such as %s, "+
			"without /api or any other path the portal does not use.", err.URL, envEndpoint, cloudlx.DefaultEndpoint)
	case status != 0:
		return fmt.Sprintf("The token endpoint %s answered HTTP %d. Check endpoint (or %s), then the CloudLX status; %s",
			err.URL, status, envEndpoint, credentials)
	}
	return fmt.Sprintf("Check endpoint (or %s), the network between Terraform and %s, and any proxy (HTTPS_PROXY).", envEndpoint, err.URL)
}

// unconfirmedNotFoundDetail explains a 404 that was not taken for a deletion.
func unconfirmedNotFoundDetail(e *notFoundUnconfirmed) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v\n\n", e.notFound)
	if e.listErr != nil {
		fmt.Fprintf(&b, "A 404 removes customer %d from state only when the customer list confirms it is gone, and the list "+
			"(%s) could not be read:\n%v\n\n", e.id, e.listURL, e.listErr)
	} else {
		fmt.Fprintf(&b, "The customer list (%s) still holds customer %d, so the 404 is not CloudLX saying the customer is gone: "+
			"something between Terraform and the API answered it (a proxy, a gateway, a load balancer during a deploy). ", e.listURL, e.id)
	}
	if hint := gatewayHint(e.notFound); hint != "" {
		b.WriteString(strings.TrimSpace(hint) + " ")
	}
	fmt.Fprintf(&b, "Customer %d stays in Terraform state. Check endpoint (or %s) and any proxy in front "+
		"of CloudLX, then run Terraform again. If the customer was really deleted, the next run confirms it once the list "+
		"can be read.", e.id, envEndpoint)
	return b.String()
}

// redactDiagnostics masks every secret the redactor knows in the summaries
// and details of diags. Each entry point that can report what the API said
// (Configure, the CRUD methods, the data sources' Read) defers it once, so
// every diagnostic it adds, now or in future code, is masked on its way out;
// terraform-plugin-go logs them after that, so the TF_LOG file is masked too.
func redactDiagnostics(r *cloudlx.Redactor, diags *diag.Diagnostics) {
	if r == nil || len(*diags) == 0 {
		return
	}
	out := make(diag.Diagnostics, 0, len(*diags))
	for _, d := range *diags {
		summary, detail := r.Redact(d.Summary()), r.Redact(d.Detail())
		if summary == d.Summary() && detail == d.Detail() {
			out = append(out, d)
			continue
		}
		withPath, hasPath := d.(diag.DiagnosticWithPath)
		switch {
		case hasPath && d.Severity() == diag.SeverityWarning:
			out = append(out, diag.NewAttributeWarningDiagnostic(withPath.Path(), summary, detail))
		case hasPath:
			out = append(out, diag.NewAttributeErrorDiagnostic(withPath.Path(), summary, detail))
		case d.Severity() == diag.SeverityWarning:
			out = append(out, diag.NewWarningDiagnostic(summary, detail))
		default:
			out = append(out, diag.NewErrorDiagnostic(summary, detail))
		}
	}
	*diags = out
}

// gatewayHint is what the body of a 404 adds: an HTML page is what a proxy or
// gateway sends, not the API. It is a hint for the reader, never evidence
// either way (only the customer list decides whether a customer is gone).
func gatewayHint(notFound error) string {
	var apiErr *cloudlx.APIError
	if errors.As(notFound, &apiErr) && apiErr.LooksLikeHTML() {
		return " The 404 was an HTML page, which is what a proxy or gateway sends; the CloudLX API answers with JSON."
	}
	return ""
}

// writeAnswerDiffers warns that CloudLX answered a create or an update with a
// value of attribute other than the planned one, which state keeps. sent says
// whether the write sent the attribute: if it did, CloudLX contradicted it; if
// not, CloudLX changed after the plan read it. hint, if any, says what to do.
func writeAnswerDiffers(attribute, planned, held string, sent bool, hint string) diag.Diagnostic {
	var detail string
	if sent {
		detail = fmt.Sprintf("Terraform planned %s = %s and this apply sent it, but CloudLX answered with %s = %s.",
			attribute, planned, attribute, held)
	} else {
		detail = fmt.Sprintf("Terraform planned %s = %s and this apply did not change it, but CloudLX answered with %s = %s: "+
			"it was changed in CloudLX (in the portal, or by another tool) after the plan read it, as happens when a saved plan "+
			"is applied later or when apply runs with -refresh=false. Apply again to set it back to %s, or change the "+
			"configuration to keep CloudLX's value.", attribute, planned, attribute, held, planned)
	}
	detail += "\n\nTerraform state keeps the planned value, because Terraform accepts no other after an apply; the next " +
		"plan reads CloudLX again and shows the difference as a change."
	if hint != "" {
		detail += "\n\n" + hint
	}
	return diag.NewAttributeWarningDiagnostic(path.Root(attribute), fmt.Sprintf("CloudLX holds a different %s than planned", attribute), detail)
}

// writeAnswerDetailDiffers warns that a computed detail the plan carried over
// from state (its inputs did not change) differs in CloudLX's answer to the
// write, and that state keeps the planned value until the next refresh.
func writeAnswerDetailDiffers(attribute, planned, held string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root(attribute), fmt.Sprintf("CloudLX describes %s differently than planned", attribute),
		fmt.Sprintf("The plan kept %s from the last refresh, %s, but CloudLX answered this apply with %s (changed in CloudLX "+
			"after the plan read it). Terraform state keeps the planned value, because Terraform accepts no other after an "+
			"apply; the next plan or refresh reads CloudLX again and updates it.", attribute, planned, held))
}

// The texts below are the long diagnostics of the resource, the data sources
// and the provider's configuration, one constructor each, so that the code that
// reports them reads as control flow and each text has a unit test
// (diagnostics_test.go). Acceptance tests check some of them word for word.

// customerCreatedNotReadBack: the customer was created and saved to state,
// but the read that completes an incomplete create answer failed.
func customerCreatedNotReadBack(name string, id int64, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("CloudLX customer created, but its details could not be read",
		fmt.Sprintf("Customer %q was created with id %d and saved to state, but reading it back failed, so its computed details "+
			"(currency, country, realm and sub-realm details) are empty until the next refresh (terraform plan or apply reads them again).\n\n%s", name, id, err))
}

// customerStillExists: the API has no DELETE (it answered status), so a
// destroy only removed the customer from state.
func customerStillExists(status int, name string, id int64) diag.Diagnostic {
	return diag.NewWarningDiagnostic("CloudLX customer still exists",
		fmt.Sprintf("The CloudLX API cannot delete customers (DELETE answered HTTP %d), so customer %q (id %d) still exists in "+
			"CloudLX and was only removed from Terraform state. Remove or suspend it in the portal if it should be gone. "+
			"To manage it with Terraform again, import it:\n  terraform import <resource address> %d\n\n"+
			"To say in the configuration that destroying a customer leaves it in CloudLX, set deletion_policy = \"ABANDON\" "+
			"on its resource: the plan then says so before the destroy, and the destroy sends no request.",
			status, name, id, id))
}

// adminUserOnlyAtCreate warns that a planned change of admin_user sends nothing.
func adminUserOnlyAtCreate() diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root("admin_user"), "admin_user only applies when the customer is created",
		"CloudLX creates the customer's first user together with the customer and never returns it, so this change "+
			"is saved in Terraform state only and nothing is sent to the API. To change the user, use the CloudLX portal.")
}

// customerDeletedSincePlan: an update's PATCH answered 404 and the customer
// list confirms the customer is gone: it was deleted after the plan read it.
func customerDeletedSincePlan(name string, id int64) diag.Diagnostic {
	return diag.NewErrorDiagnostic("CloudLX customer deleted since the plan",
		fmt.Sprintf("CloudLX customer %d (%q) was deleted in CloudLX since the plan: the update answered HTTP 404 and the "+
			"customer list confirms the customer is gone, so nothing was changed. Terraform keeps it in state until the "+
			"next plan, which reads CloudLX, removes it from state and offers to create it (a new customer, with a new id). "+
			"If it should stay deleted, remove it from the configuration instead.", id, name))
}

// timeoutNotPositive refuses timeouts.<operation> = value (such as "0s" or
// "-5m"), which the timeouts block accepts.
func timeoutNotPositive(operation, value string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("timeouts").AtName(operation), "Invalid timeout",
		fmt.Sprintf("timeouts.%s is %q; it bounds the whole operation, retries included, so it must be positive, such as \"10m\".",
			operation, value))
}

// subRealmEnabledNotShown refuses a sub-realm in enabled_sub_realms that is
// not in shown_sub_realms.
func subRealmEnabledNotShown(id int64) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("enabled_sub_realms"), "Sub-realm enabled but not shown",
		fmt.Sprintf("enabled_sub_realms contains %d, which is not in shown_sub_realms. A customer can only use the sub-realms "+
			"it can see: add %d to shown_sub_realms, or remove it from enabled_sub_realms.", id, id))
}

// invalidImportID refuses an import ID that is not a customer id (see parseImportID).
func invalidImportID(id string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Invalid CloudLX customer import ID",
		fmt.Sprintf("Expected the customer's numeric ID, a positive integer such as 915 "+
			"(terraform import cloudlx_customer.example 915, or id = \"915\" in an import block); got %q.", id))
}

// invalidImportIdentity refuses an import identity whose id, shown as the
// configuration gave it ("null", "unknown", "0"), is not a customer id.
func invalidImportIdentity(shown string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Invalid CloudLX customer identity",
		fmt.Sprintf("The import block's identity must give the customer's numeric ID, a positive integer known before "+
			"the plan, such as identity = { id = 915 }; got id = %s.", shown))
}

// customerIDNotFound: the cloudlx_customer data source's GET of customer id
// (at url) answered notFound, a 404.
func customerIDNotFound(id int64, url string, notFound error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("id"), "CloudLX customer not found",
		fmt.Sprintf("No CloudLX customer has id %d (GET %s answered HTTP 404). Check the id, or look the "+
			"customer up by name instead.%s", id, url, gatewayHint(notFound)))
}

// noCustomerNamed: none of the listed customers (all) is named exactly name;
// it names those whose names differ only in case or surrounding spaces.
func noCustomerNamed(name string, all []cloudlx.Customer) diag.Diagnostic {
	detail := fmt.Sprintf("0 of the %d CloudLX customers are named exactly %q (names are compared exactly, case and spaces included).", len(all), name)
	if similar := similarlyNamed(all, name); similar != "" {
		detail += " Customers with a similar name: " + similar + "."
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("name"), "No CloudLX customer with this name", detail)
}

// severalCustomersNamed: more than one customer (matches) is named name, so a
// lookup by name cannot choose; it suggests the lowest id.
func severalCustomersNamed(name string, matches []cloudlx.Customer) diag.Diagnostic {
	lowest := slices.MinFunc(matches, func(a, b cloudlx.Customer) int { return cmp.Compare(a.ID, b.ID) })
	return diag.NewAttributeErrorDiagnostic(path.Root("name"), "Several CloudLX customers have this name",
		fmt.Sprintf("%d CloudLX customers are named %q: %s. A lookup by name needs exactly one match; look the customer up "+
			"by id instead (for example id = %d), or list them with the cloudlx_customers data source.",
			len(matches), name, describeCustomers(matches), lowest.ID))
}

// similarlyNamed lists the customers whose name differs from name only in
// case or surrounding spaces: the likely intent behind a lookup that found none.
func similarlyNamed(all []cloudlx.Customer, name string) string {
	var similar []cloudlx.Customer
	for _, c := range all {
		if strings.EqualFold(strings.TrimSpace(c.Name), strings.TrimSpace(name)) {
			similar = append(similar, c)
		}
	}
	return describeCustomers(similar)
}

// describeCustomers renders customers as `"Name" (id 12), ...`, by id.
func describeCustomers(cs []cloudlx.Customer) string {
	sorted := slices.Clone(cs)
	slices.SortFunc(sorted, func(a, b cloudlx.Customer) int { return cmp.Compare(a.ID, b.ID) })
	parts := make([]string, len(sorted))
	for i, c := range sorted {
		parts[i] = fmt.Sprintf("%q (id %d)", c.Name, c.ID)
	}
	return strings.Join(parts, ", ")
}

// catalogueNamesNotUnique warns that ids_by_name leaves out the names that
// several catalogue entries carry (ambiguous: `"Name" (ids 3, 7)`, sorted);
// listAddr is the address of the catalogue's list to choose from.
func catalogueNamesNotUnique(singular string, ambiguous []string, listAddr string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root("ids_by_name"), fmt.Sprintf("CloudLX %s names are not unique", singular),
		fmt.Sprintf("More than one %s has each of these names: %s. ids_by_name leaves them out, so a lookup of one "+
			"of them fails rather than pick an id at random. Choose the %s by id from %s instead, for example by its "+
			"description.", singular, strings.Join(ambiguous, ", "), singular, listAddr))
}

// addCatalogueError reports a failed catalogue read. A 404 most likely means
// the inferred path is wrong for this account, so it says so.
func addCatalogueError(diags *diag.Diagnostics, singular, apiPath string, err error) {
	operation := fmt.Sprintf("Could not read the CloudLX %s catalogue", singular)
	if cloudlx.IsNotFound(err) {
		diags.AddError(operation, fmt.Sprintf("GET %s answered HTTP 404. That path is inferred: the CloudLX documentation "+
			"mentions a %s endpoint without documenting its path, and this account does not seem to serve it there. "+
			"Use %s ids directly in the configuration for now, and please report the issue.\n\n%s", apiPath, singular, singular, err))
		return
	}
	addAPIError(diags, operation, err)
}

// unknownProviderSetting refuses a provider attribute whose value is only
// known after apply; envVar, if any, is the variable that can set it instead.
func unknownProviderSetting(name, envVar string) diag.Diagnostic {
	hint := "Set it to a value known before apply"
	if envVar != "" {
		hint += ", or leave it out and set the " + envVar + " environment variable"
	}
	return diag.NewAttributeErrorDiagnostic(path.Root(name), "Unknown CloudLX provider setting: "+name,
		"The provider is configured before other resources are created, so "+name+" cannot come from a value that is only "+
			"known after apply. "+hint+". If it comes from another resource, apply that resource first with -target.")
}

// conflictingCredentials: both an access token and client credentials are set.
func conflictingCredentials() diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("access_token"), "Conflicting CloudLX credentials",
		"Both an access token and client credentials are configured. Use exactly one way to authenticate: either "+
			"access_token ("+envAccessToken+"), or client_id and client_secret ("+envClientID+" and "+envClientSecret+"). "+
			"Check the environment for a variable left over from another setup.")
}

// missingCredentials: neither an access token nor client credentials are set.
func missingCredentials() diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("client_id"), "Missing CloudLX credentials",
		"The provider needs credentials. Set client_id and client_secret (or the "+envClientID+" and "+envClientSecret+
			" environment variables) to an API client created in the portal, or set access_token ("+envAccessToken+").")
}
