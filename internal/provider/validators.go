package provider

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// stringCheck is a plan-time validator: it rejects bad input before any API
// call, with a message that names the fix. check returns the error's summary
// and detail for a bad value, and "" for a good one. Null and unknown values
// are left to Terraform (required-ness) or checked again once known.
type stringCheck struct {
	description string
	check       func(p path.Path, value string) (summary, detail string)
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if summary, detail := v.check(req.Path, req.ConfigValue.ValueString()); summary != "" {
		resp.Diagnostics.AddAttributeError(req.Path, summary, detail)
	}
}

// onError turns a check that returns only a message into a stringCheck's check.
func onError(summary string, message func(string) string) func(path.Path, string) (string, string) {
	return func(_ path.Path, value string) (string, string) {
		if msg := message(value); msg != "" {
			return summary, msg
		}
		return "", ""
	}
}

// currencyCodeValidator accepts an uppercase ISO 4217 code known to golang.org/x/text.
var currencyCodeValidator = stringCheck{
	description: "must be an uppercase ISO 4217 currency code, such as USD, EUR or GBP",
	check:       onError("Invalid currency code", checkCurrencyCode),
}

// countryCodeValidator accepts an uppercase ISO 3166-1 alpha-2 code of a country.
var countryCodeValidator = stringCheck{
	description: "must be an uppercase ISO 3166-1 alpha-2 country code, such as US, GB or DE",
	check:       onError("Invalid country code", checkCountryCode),
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

// emailValidator accepts a bare address (no display name). Terraform cannot
// quote a line inside an object value (admin_user = {...}), so the message
// names the attribute.
var emailValidator = stringCheck{
	description: "must be an email address such as ops@example.com",
	check: func(p path.Path, s string) (string, string) {
		addr, err := mail.ParseAddress(s)
		if err != nil || addr.Address != s || !strings.Contains(addr.Address[strings.LastIndex(addr.Address, "@")+1:], ".") {
			return "Invalid email address",
				fmt.Sprintf("%s: %q is not an email address. Use a plain address such as \"ops@example.com\", without a display name.", p, s)
		}
		return "", ""
	},
}

// trimmedValidator rejects empty values and values with leading or trailing
// whitespace. The API is a Laravel application, whose default middleware trims
// request strings: " Acme" would be stored as "Acme" and every later plan would
// show a change that can never be applied.
var trimmedValidator = stringCheck{
	description: "must not be empty or start or end with whitespace",
	check: func(p path.Path, s string) (string, string) {
		switch trimmed := strings.TrimSpace(s); {
		case trimmed == "":
			return "Empty value", fmt.Sprintf("%s must not be empty or only whitespace.", p)
		case trimmed != s:
			return "Leading or trailing whitespace",
				fmt.Sprintf("%s must not start or end with whitespace: CloudLX trims it, so the plan could never settle. Use %q.", p, trimmed)
		}
		return "", ""
	},
}

// endpointValidator checks the endpoint URL at plan time with the client's own rule.
var endpointValidator = stringCheck{
	description: "must be an https:// URL, or http:// to a loopback host",
	check: onError("Invalid CloudLX endpoint", func(s string) string {
		if _, err := cloudlx.ParseEndpoint(s); err != nil {
			return err.Error() + "."
		}
		return ""
	}),
}

// durationValidator accepts a positive Go duration string.
var durationValidator = stringCheck{
	description: "must be a positive duration such as 30s or 2m",
	check: onError("Invalid duration", func(s string) string {
		if d, err := time.ParseDuration(s); err != nil || d <= 0 {
			return fmt.Sprintf("%q is not a positive duration. Use a number with a unit, such as \"30s\", \"90s\" or \"2m\".", s)
		}
		return ""
	}),
}

// regexValidator accepts a regular expression Go's regexp package (RE2) compiles.
var regexValidator = stringCheck{
	description: "must be a valid RE2 regular expression",
	check: onError("Invalid regular expression", func(s string) string {
		if _, err := regexp.Compile(s); err != nil {
			return fmt.Sprintf("%q is not a valid RE2 regular expression: %s.", s, err)
		}
		return ""
	}),
}
