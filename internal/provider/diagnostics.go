package provider

import (
	"errors"
	"fmt"
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
		detail := apiErr.Error()
		if len(apiErr.FieldErrors) > 0 {
			// Error() lists every field; repeat only the ones not shown above.
			detail = (&cloudlx.APIError{Method: apiErr.Method, Path: apiErr.Path, StatusCode: apiErr.StatusCode,
				Message: apiErr.Message, Body: apiErr.Body}).Error() + "\n  " + strings.Join(unmapped, "\n  ")
		}
		diags.AddError(operation, detail)
	}
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
