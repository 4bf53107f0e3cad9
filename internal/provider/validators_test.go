package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func validateCode(v validator.String, code string) diag.Diagnostics {
	req := validator.StringRequest{Path: path.Root("currency_iso"), ConfigValue: types.StringValue(code)}
	var resp validator.StringResponse
	v.ValidateString(context.Background(), req, &resp)
	return resp.Diagnostics
}

func TestCurrencyAndCountryCodes(t *testing.T) {
	const (
		ok   = "ok"
		fail = "error"
	)
	cases := []struct {
		v        validator.String
		code     string
		want     string // ok or fail
		contains string
	}{
		// Current codes that golang.org/x/text refuses.
		{currencyCodeValidator, "VES", ok, ""},
		{currencyCodeValidator, "VED", ok, ""},
		{currencyCodeValidator, "MRU", ok, ""},
		{currencyCodeValidator, "SLE", ok, ""},
		{currencyCodeValidator, "ZWG", ok, ""},
		{currencyCodeValidator, "XCG", ok, ""},
		{currencyCodeValidator, "STN", ok, ""},
		{currencyCodeValidator, "BYN", ok, ""},
		{currencyCodeValidator, "USD", ok, ""},
		{currencyCodeValidator, "EUR", ok, ""},
		// Withdrawn codes that x/text accepts: errors naming the successor.
		{currencyCodeValidator, "BYR", fail, `"BYR" is not a current ISO 4217 currency code: Belarus redenominated its rouble as BYN on 2016-07-01. Use "BYN".`},
		{currencyCodeValidator, "MRO", fail, `Use "MRU".`},
		{currencyCodeValidator, "STD", fail, `Use "STN".`},
		{currencyCodeValidator, "LTL", fail, `Lithuania adopted the euro on 2015-01-01. Use "EUR".`},
		{currencyCodeValidator, "EEK", fail, `Use "EUR".`},
		{currencyCodeValidator, "HRK", fail, `Croatia adopted the euro on 2023-01-01. Use "EUR".`},
		{currencyCodeValidator, "SLL", fail, `Use "SLE".`},
		{currencyCodeValidator, "ZWL", fail, `Use "ZWG".`},
		{currencyCodeValidator, "VEF", fail, `Use "VES".`},
		{currencyCodeValidator, "hrk", fail, `"hrk" is not a current ISO 4217 currency code`},
		// Malformed, lowercase, unknown.
		{currencyCodeValidator, "usd", fail, `"usd" must be uppercase: use "USD".`},
		{currencyCodeValidator, "US", fail, `"US" is not an ISO 4217 currency code: use three uppercase letters`},
		{currencyCodeValidator, "U$D", fail, `use three uppercase letters`},
		// Well-formed codes the table does not know are ModifyPlan's (checkISOCode), which sees the provider's additional codes.
		{currencyCodeValidator, "ABC", ok, ""},
		{currencyCodeValidator, "GPB", ok, ""},
		{currencyCodeValidator, "abc", fail, `must be uppercase: use "ABC"`},

		{countryCodeValidator, "US", ok, ""},
		{countryCodeValidator, "SS", ok, ""},
		{countryCodeValidator, "CW", ok, ""},
		{countryCodeValidator, "SX", ok, ""},
		{countryCodeValidator, "BQ", ok, ""},
		{countryCodeValidator, "AN", fail, `"AN" is not a current ISO 3166-1 alpha-2 country code: withdrawn on 2010-12-15, when the Netherlands Antilles were dissolved. Use "CW", "SX" or "BQ", whichever is the customer's.`},
		{countryCodeValidator, "CS", fail, `Use "RS" or "ME", whichever is the customer's.`},
		{countryCodeValidator, "YU", fail, `withdrawn on 2003-07-23`},
		{countryCodeValidator, "ZR", fail, `Use "CD".`},
		{countryCodeValidator, "UK", fail, `exceptionally reserved for the United Kingdom, whose ISO 3166-1 code is GB. Use "GB".`},
		{countryCodeValidator, "EU", fail, `reserved for the European Union, which is not a country. Use the code of the customer's country.`},
		{countryCodeValidator, "SU", fail, `Use the code of the customer's country.`},
		{countryCodeValidator, "us", fail, `"us" must be uppercase: use "US".`},
		{countryCodeValidator, "USA", fail, `use two uppercase letters`},
		{countryCodeValidator, "XK", ok, ""},
	}
	for _, tc := range cases {
		diags := validateCode(tc.v, tc.code)
		got, text := ok, ""
		if diags.HasError() {
			got, text = fail, diags.Errors()[0].Detail()
		}
		if got != tc.want || len(diags) > 1 || !strings.Contains(text, tc.contains) {
			t.Errorf("%s: got %s %v; want %s containing %q", tc.code, got, diags, tc.want, tc.contains)
		}
		for _, d := range diags {
			if p, ok := d.(diag.DiagnosticWithPath); !ok || !p.Path().Equal(path.Root("currency_iso")) {
				t.Errorf("%s: %v is not attached to the attribute", tc.code, d)
			}
		}
	}
}

func number(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, big.NewFloat(f)) }

func validationOf(t *testing.T, v attr.Value) diag.Diagnostics {
	t.Helper()
	va, ok := v.(xattr.ValidateableAttribute)
	if !ok {
		return nil
	}
	var resp xattr.ValidateAttributeResponse
	va.ValidateAttribute(context.Background(), xattr.ValidateAttributeRequest{Path: path.Root("realms")}, &resp)
	return resp.Diagnostics
}

// A configured number that is not a whole number becomes a plan-time error
// naming the attribute; a whole number becomes the framework's own value.
func TestWholeNumberTypes(t *testing.T) {
	ctx := context.Background()
	set := func(elems ...tftypes.Value) tftypes.Value {
		return tftypes.NewValue(tftypes.Set{ElementType: tftypes.Number}, elems)
	}
	for _, tc := range []struct {
		name    string
		typ     attr.Type
		in      tftypes.Value
		wantErr string // "" for a valid value
		want    attr.Value
	}{
		{"whole ids", idSetType, set(number(2), number(7)), "", types.SetValueMust(types.Int64Type, []attr.Value{types.Int64Value(2), types.Int64Value(7)})},
		{"a fraction", idSetType, set(number(2), number(2.5)), "realms must hold whole numbers, such as 2; 2.5 is not.", nil},
		{"fractions", idSetType, set(number(0.5), number(313.25)), "realms must hold whole numbers, such as 2; 0.5, 313.25 are not.", nil},
		{"beyond int64", idSetType, set(number(1e30)), "1e+30 is not", nil},
		{"unknown set", idSetType, tftypes.NewValue(tftypes.Set{ElementType: tftypes.Number}, tftypes.UnknownValue), "", types.SetUnknown(types.Int64Type)},
		{"whole number", wholeInt64Type{}, number(3), "", types.Int64Value(3)},
		{"a fraction", wholeInt64Type{}, number(1.5), "realms must be a whole number, such as 2; 1.5 is not one.", nil},
		{"null", wholeInt64Type{}, tftypes.NewValue(tftypes.Number, nil), "", types.Int64Null()},
	} {
		got, err := tc.typ.ValueFromTerraform(ctx, tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		diags := validationOf(t, got)
		switch {
		case tc.wantErr == "" && (diags.HasError() || !got.Equal(tc.want)):
			t.Errorf("%s: got %v (%v), want %v", tc.name, got, diags, tc.want)
		case tc.wantErr != "" && (!diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), tc.wantErr)):
			t.Errorf("%s: diagnostics %v, want an error containing %q", tc.name, diags, tc.wantErr)
		}
	}
	// The values are the framework's, so the custom types accept its types.
	if !idSetType.Equal(types.SetType{ElemType: types.Int64Type}) || !(wholeInt64Type{}).Equal(types.Int64Type) {
		t.Error("the whole-number types must accept the framework's types as equal")
	}
	if idSetType.Equal(types.SetType{ElemType: types.StringType}) || (wholeInt64Type{}).Equal(types.StringType) {
		t.Error("the whole-number types accept other types")
	}
}

// validateCustomerConfig runs the provider server's ValidateResourceConfig, as
// Terraform does at the start of every plan, on a cloudlx_customer config
// holding attrs (the others null), and returns every diagnostic it answers.
func validateCustomerConfig(t *testing.T, attrs map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	typ := customerSchema(t).Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := attrs[name]; ok {
			vals[name] = v
		}
	}
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "cloudlx_customer", Config: &config})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// Through the framework, as Terraform calls it: a number that is not whole,
// in any id set, is exactly one error at that attribute, never the
// framework's conversion failure ("report the following to the provider
// developer"), also when ValidateConfig reads the same set to compare the
// sub-realm sets.
func TestCustomerConfigWithFractionalIDs(t *testing.T) {
	numbers := func(fs ...float64) tftypes.Value {
		elems := make([]tftypes.Value, len(fs))
		for i, f := range fs {
			elems[i] = number(f)
		}
		return tftypes.NewValue(tftypes.Set{ElementType: tftypes.Number}, elems)
	}
	valid := map[string]tftypes.Value{
		"name":               tftypes.NewValue(tftypes.String, "Acme"),
		"currency_iso":       tftypes.NewValue(tftypes.String, "USD"),
		"country_iso":        tftypes.NewValue(tftypes.String, "US"),
		"realms":             numbers(2),
		"shown_sub_realms":   numbers(313, 328),
		"enabled_sub_realms": numbers(313),
	}
	if diags := validateCustomerConfig(t, valid); len(diags) != 0 {
		t.Fatalf("a valid config: %v", diags)
	}
	for attrName, bad := range map[string]tftypes.Value{
		"realms":             numbers(2.5),
		"shown_sub_realms":   numbers(313, 328.5),
		"enabled_sub_realms": numbers(313.5),
	} {
		config := map[string]tftypes.Value{}
		for k, v := range valid {
			config[k] = v
		}
		config[attrName] = bad
		diags := validateCustomerConfig(t, config)
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError ||
			!strings.Contains(diags[0].Detail, attrName+" must hold whole numbers") ||
			diags[0].Attribute == nil || !diags[0].Attribute.Equal(tftypes.NewAttributePath().WithAttributeName(attrName)) {
			for _, d := range diags {
				t.Logf("%s: %s: %s (%v)", d.Severity, d.Summary, d.Detail, d.Attribute)
			}
			t.Errorf("%s: want exactly one error at the attribute about whole numbers", attrName)
		}
	}
}
