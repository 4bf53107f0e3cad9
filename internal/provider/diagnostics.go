package provider

import (
	"errors"
	"fmt"
	"net/http"
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
