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
	if detail, ok := tlsFailureDetail(err); ok {
		diags.AddError(operation, detail)
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
		detail := apiErr.Error()
		if len(apiErr.FieldErrors) > 0 {
			// Error() lists every field; repeat only the ones not shown above.
			detail = (&cloudlx.APIError{Method: apiErr.Method, Path: apiErr.Path, StatusCode: apiErr.StatusCode,
				Message: apiErr.Message, Body: apiErr.Body}).Error() + "\n  " + strings.Join(unmapped, "\n  ")
		}
		diags.AddError(operation, detail)
	}
}
