package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

func TestOtherSubRealmSetIsTheOneAPatchLeavesOut(t *testing.T) {
	ids := &[]int64{313}
	for _, tc := range []struct {
		patch cloudlx.CustomerPatch
		want  string
	}{
		{cloudlx.CustomerPatch{}, ""},
		{cloudlx.CustomerPatch{ShownSubRealms: ids}, "enabled_sub_realms"},
		{cloudlx.CustomerPatch{EnabledSubRealms: ids}, "shown_sub_realms"},
		{cloudlx.CustomerPatch{ShownSubRealms: ids, EnabledSubRealms: ids}, ""},
	} {
		if got := otherSubRealmSet(tc.patch); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.patch, got, tc.want)
		}
	}
}

// Only a 422 that names the field the PATCH left out says the API wants it.
func TestNamesMissingField(t *testing.T) {
	refusal := func(status int, fields ...string) error {
		e := &cloudlx.APIError{Method: "PATCH", Path: "/api/customers/1", StatusCode: status, FieldErrors: map[string][]string{}}
		for _, f := range fields {
			e.FieldErrors[f] = []string{"The " + f + " field is required."}
		}
		return fmt.Errorf("wrapped: %w", e)
	}
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("connection reset"), false},
		{refusal(422, "shown_sub_realms"), true},
		{refusal(422, "shown_sub_realms.0"), true},
		{refusal(422, "name", "shown_sub_realms"), true},
		{refusal(422, "enabled_sub_realms"), false},
		{refusal(422), false},
		{refusal(400, "shown_sub_realms"), false},
	} {
		if got := namesMissingField(tc.err, "shown_sub_realms"); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestCustomerDeletedSincePlanSaysWhatHappensNext(t *testing.T) {
	d := customerDeletedSincePlan("Acme Ltd", 915)
	if d.Summary() != "CloudLX customer deleted since the plan" {
		t.Errorf("summary %q", d.Summary())
	}
	for _, want := range []string{`CloudLX customer 915 ("Acme Ltd") was deleted in CloudLX since the plan`,
		"customer list confirms", "nothing was changed", "offers to create it", "remove it from the configuration"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, d.Detail())
		}
	}
}

func TestSubRealmSetsConflictNamesTheSetAndCloudLXsValue(t *testing.T) {
	e := &subRealmSetsConflict{other: "shown_sub_realms", held: []int64{313}, outside: []int64{328}}
	d := subRealmSetsConflictDiag(915, e)
	for _, want := range []string{"The plan changes enabled_sub_realms and not shown_sub_realms",
		"already saw CloudLX refuse one sub-realm set without the other", "CloudLX now holds shown_sub_realms = [313]",
		"sub-realm(s) 328 would be enabled without being shown", "Sending the planned shown_sub_realms"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, d.Detail())
		}
	}
	if !strings.Contains(e.Error(), "shown_sub_realms = [313]") {
		t.Errorf("Error() = %q", e.Error())
	}
}
