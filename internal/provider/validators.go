package provider

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// The validators below reject bad input at plan time, before any API call,
// with a message that names the fix. Unknown and null values are left to
// Terraform (required-ness) or checked again once known.

// currencyCodeValidator accepts an uppercase ISO 4217 code known to golang.org/x/text.
type currencyCodeValidator struct{}

func (currencyCodeValidator) Description(context.Context) string {
	return "must be an uppercase ISO 4217 currency code, such as USD, EUR or GBP"
}
func (v currencyCodeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v currencyCodeValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := checkCurrencyCode(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid currency code", msg)
	}
}

// checkCurrencyCode returns why code is not acceptable, or "".
func checkCurrencyCode(code string) string {
	upper := strings.ToUpper(code)
	if len(code) != 3 || !isASCIILetters(code) {
		return fmt.Sprintf("%q is not an ISO 4217 currency code: use three uppercase letters, such as \"USD\", \"EUR\" or \"GBP\".", code)
	}
	if _, err := currency.ParseISO(upper); err != nil {
		return fmt.Sprintf("%q is not a known ISO 4217 currency code. Use a code such as \"USD\", \"EUR\" or \"GBP\".", code)
	}
	if code != upper {
		return fmt.Sprintf("%q must be uppercase: use %q.", code, upper)
	}
	return ""
}

// countryCodeValidator accepts an uppercase ISO 3166-1 alpha-2 code of a country.
type countryCodeValidator struct{}

func (countryCodeValidator) Description(context.Context) string {
	return "must be an uppercase ISO 3166-1 alpha-2 country code, such as US, GB or DE"
}
func (v countryCodeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v countryCodeValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := checkCountryCode(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid country code", msg)
	}
}

func checkCountryCode(code string) string {
	upper := strings.ToUpper(code)
	if len(code) != 2 || !isASCIILetters(code) {
		return fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code: use two uppercase letters, such as \"US\", \"GB\" or \"DE\".", code)
	}
	region, err := language.ParseRegion(upper)
	if err != nil || !region.IsCountry() {
		return fmt.Sprintf("%q is not a known ISO 3166-1 alpha-2 country code. Use a code such as \"US\", \"GB\" or \"DE\".", code)
	}
	if canonical := region.Canonicalize().String(); canonical != upper {
		// Deprecated or reserved codes that x/text maps to another one (UK -> GB).
		return fmt.Sprintf("%q is not the ISO 3166-1 code of a country; did you mean %q?", code, canonical)
	}
	if code != upper {
		return fmt.Sprintf("%q must be uppercase: use %q.", code, upper)
	}
	return ""
}

func isASCIILetters(s string) bool {
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}

// emailValidator accepts a bare address (no display name).
type emailValidator struct{}

func (emailValidator) Description(context.Context) string {
	return "must be an email address such as ops@example.com"
}
func (v emailValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v emailValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || !strings.Contains(addr.Address[strings.LastIndex(addr.Address, "@")+1:], ".") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid email address",
			fmt.Sprintf("%s: %q is not an email address. Use a plain address such as \"ops@example.com\", without a display name.", req.Path, s))
	}
}

// trimmedValidator rejects empty values and values with leading or trailing
// whitespace. The API is a Laravel application, whose default middleware trims
// request strings: " Acme" would be stored as "Acme" and every later plan would
// show a change that can never be applied.
type trimmedValidator struct{}

func (trimmedValidator) Description(context.Context) string {
	return "must not be empty or start or end with whitespace"
}
func (v trimmedValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v trimmedValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	switch trimmed := strings.TrimSpace(s); {
	case trimmed == "":
		resp.Diagnostics.AddAttributeError(req.Path, "Empty value",
			fmt.Sprintf("%s must not be empty or only whitespace.", req.Path))
	case trimmed != s:
		resp.Diagnostics.AddAttributeError(req.Path, "Leading or trailing whitespace",
			fmt.Sprintf("%s must not start or end with whitespace: CloudLX trims it, so the plan could never settle. Use %q.", req.Path, trimmed))
	}
}

// endpointValidator checks the endpoint URL at plan time with the client's own rule.
type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be an https:// URL, or http:// to a loopback host"
}
func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v endpointValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := cloudlx.ParseEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid CloudLX endpoint", err.Error()+".")
	}
}

// durationValidator accepts a positive Go duration string.
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s or 2m"
}
func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not a positive duration. Use a number with a unit, such as \"30s\", \"90s\" or \"2m\".", req.ConfigValue.ValueString()))
	}
}
