package provider

import (
	"context"
	"fmt"
	"math/big"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/iso"
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

// currencyCodeValidator and countryCodeValidator check the form of a code and
// the dated tables' withdrawn codes (internal/iso). Whether a well-formed code
// is in the table is checked by the resource's ModifyPlan (checkISOCodes),
// which sees the provider's additional_currency_codes and
// additional_country_codes; a validator cannot.
var (
	currencyCodeValidator = isoCodeCheck(&iso.Currencies, "three", `"USD", "EUR" or "GBP"`)
	countryCodeValidator  = isoCodeCheck(&iso.Countries, "two", `"US", "GB" or "DE"`)
)

// isoCodeCheck refuses a malformed or lowercase code, or one the table lists
// as withdrawn (or reserved for something other than a country), naming the
// code to use.
func isoCodeCheck(table *iso.Table, lengthWord, examples string) stringCheck {
	summary := fmt.Sprintf("Invalid %s code", table.Kind)
	return stringCheck{
		description: fmt.Sprintf("must be an uppercase %s %s code, such as %s", table.Standard, table.Kind, examples),
		check: func(_ path.Path, code string) (string, string) {
			if !table.WellFormed(code) {
				return summary, fmt.Sprintf("%q is not an %s %s code: use %s uppercase letters, such as %s.",
					code, table.Standard, table.Kind, lengthWord, examples)
			}
			upper := strings.ToUpper(code)
			if status, retired := table.Lookup(upper); status == iso.Withdrawn {
				return summary, fmt.Sprintf("%q is not a current %s %s code: %s. %s",
					code, table.Standard, table.Kind, retired.Reason, useInstead(retired.Successors, table.Kind))
			}
			if code != upper {
				return summary, fmt.Sprintf("%q must be uppercase: use %q.", code, upper)
			}
			return "", ""
		},
	}
}

// useInstead names the codes to use instead of a retired one.
func useInstead(successors []string, kind string) string {
	quoted := make([]string, len(successors))
	for i, s := range successors {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	switch len(quoted) {
	case 0:
		return fmt.Sprintf("Use the code of the customer's %s.", kind)
	case 1:
		return fmt.Sprintf("Use %s.", quoted[0])
	}
	return fmt.Sprintf("Use %s or %s, whichever is the customer's.", strings.Join(quoted[:len(quoted)-1], ", "), quoted[len(quoted)-1])
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
		if cloudlx.MaskURL(s) != s {
			// Credentials in the URL: Configure refuses it without pointing at the
			// attribute, since Terraform would print its line, password included.
			return ""
		}
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

// nonEmptyValidator refuses an empty set: a customer needs at least one realm,
// and the API refuses a customer without one.
type nonEmptyValidator struct{ fix string }

func (v nonEmptyValidator) Description(context.Context) string {
	return "must hold at least one element"
}
func (v nonEmptyValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v nonEmptyValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || len(req.ConfigValue.Elements()) > 0 {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Empty set", fmt.Sprintf("%s must hold at least one id. %s", req.Path, v.fix))
}

// Whole numbers. Terraform's numbers are decimals, so a configuration can say
// realms = [2.5] or max_retries = 1.5. The framework's Int64 types fail to
// convert such a number with "This is always an error in the provider. Please
// report the following to the provider developer", before any validator runs:
// converting the configuration's raw value (ValueFromTerraform) is the first
// place the provider sees it. wholeInt64Type and wholeInt64SetType are the
// framework's Int64 and set-of-Int64 types in every respect but that one: a
// whole number converts to the framework's own value (so models keep
// types.Int64 and types.Set, and Equal accepts the framework's type), and any
// other number to a value whose validation, which the framework runs right
// after converting, is a plan-time error naming the attribute.

// wholeInt64Type is types.Int64Type for configurable whole numbers.
type wholeInt64Type struct{ basetypes.Int64Type }

func (t wholeInt64Type) Equal(o attr.Type) bool {
	switch o.(type) {
	case wholeInt64Type, basetypes.Int64Type:
		return true
	}
	return false
}

func (t wholeInt64Type) String() string { return "wholeInt64Type" }

func (t wholeInt64Type) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.Int64Type.ValueFromTerraform(ctx, in)
	if err != nil {
		if n, bad := notInt64(in); bad {
			return notWholeNumbers{Value: types.Int64Null(), numbers: []string{n}}, nil
		}
	}
	return v, err
}

// wholeInt64SetType is a set of types.Int64Type for configurable sets of ids.
// Its element type is wholeInt64Type, because the framework converts every
// element on its own too, when it decodes a configuration and walks its paths
// (a set element's path holds its value); its values hold types.Int64
// elements, so that they equal the sets the provider builds.
type wholeInt64SetType struct{ basetypes.SetType }

var idSetType = wholeInt64SetType{basetypes.SetType{ElemType: wholeInt64Type{}}}

func (t wholeInt64SetType) Equal(o attr.Type) bool {
	switch o := o.(type) {
	case wholeInt64SetType:
		return t.SetType.Equal(o.SetType)
	case basetypes.SetType:
		return t.SetType.Equal(o)
	}
	return false
}

func (t wholeInt64SetType) String() string { return "wholeInt64SetType" }

func (t wholeInt64SetType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := types.SetType{ElemType: types.Int64Type}.ValueFromTerraform(ctx, in)
	if err == nil {
		return v, nil
	}
	var elems []tftypes.Value
	if in.As(&elems) != nil {
		return nil, err
	}
	var bad []string
	for _, e := range elems {
		if n, ok := notInt64(e); ok {
			bad = append(bad, n)
		}
	}
	if len(bad) == 0 {
		return nil, err
	}
	slices.Sort(bad)
	return notWholeNumbers{Value: types.SetNull(types.Int64Type), numbers: bad, inSet: true}, nil
}

// notInt64 returns a known number that is not a whole number within int64's
// range, as written.
func notInt64(v tftypes.Value) (string, bool) {
	var f *big.Float
	if !v.IsKnown() || v.IsNull() || v.As(&f) != nil || f == nil {
		return "", false
	}
	if _, accuracy := f.Int64(); f.IsInt() && accuracy == big.Exact {
		return "", false
	}
	return f.Text('g', -1), true
}

// notWholeNumbers is what the whole-number types make of a configured value
// holding numbers that are not whole numbers. It only exists to fail
// validation; Value is a null of the attribute's type.
type notWholeNumbers struct {
	attr.Value
	numbers []string
	inSet   bool
}

func (v notWholeNumbers) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	detail := fmt.Sprintf("%s must be a whole number, such as 2; %s is not one.", req.Path, v.numbers[0])
	if v.inSet {
		detail = fmt.Sprintf("%s must hold whole numbers, such as 2; %s %s not.", req.Path, strings.Join(v.numbers, ", "),
			map[bool]string{true: "is", false: "are"}[len(v.numbers) == 1])
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Not a whole number", detail)
}
