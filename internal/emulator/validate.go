package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/iso"
)

// ErrNotFound is returned by UpdateCustomer for an unknown id.
var ErrNotFound = errors.New("emulator: customer not found")

// ValidationError is a 422: Message is the Dingo "message", Fields the "errors" map
// (field key -> messages), keyed as the HTTP API keys them ("currency_iso", "realms.0").
type ValidationError struct {
	Message string
	Fields  map[string][]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(e.Message)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s: %s", k, strings.Join(e.Fields[k], " "))
	}
	return b.String()
}

const (
	msgCreateFailed = "Could not create customer."
	msgUpdateFailed = "Could not update customer."
)

// fieldErrors collects validation messages per field key, Laravel style.
type fieldErrors map[string][]string

func (fe fieldErrors) add(key, msg string) { fe[key] = append(fe[key], msg) }

// human turns a field key into the words Laravel puts in its messages
// ("currency_iso" -> "currency iso").
func human(key string) string { return strings.ReplaceAll(key, "_", " ") }

// customerBody is a decoded create or PATCH body. A nil pointer means the field was
// absent; JSON null counts as present and empty, so PATCH can clear a list with either
// [] or null.
type customerBody struct {
	Name, CurrencyISO, CountryISO            *string
	Realms, ShownSubRealms, EnabledSubRealms *[]int64
	Email, FirstName, LastName, RoleGroup    *string
}

// errMalformed means the body is not a JSON object: a 400, not a 422.
var errMalformed = errors.New("malformed JSON body")

// decodeCustomerBody reads the known fields one by one, so that a field of the wrong
// type becomes a 422 on that field (as Laravel's validator would report it) rather than a
// 400 for the whole body. Unknown fields are ignored: the API adds fields without a new
// version, and clients may send fields we do not know either. bad lists the fields that
// had type errors, so that validation does not report them a second time.
func decodeCustomerBody(body []byte) (cb customerBody, fe fieldErrors, bad map[string]bool, err error) {
	fe, bad = fieldErrors{}, map[string]bool{}
	raw := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
			return cb, nil, nil, errMalformed // a syntax error, or not an object (null too)
		}
	}
	str := func(key string) *string {
		v, ok := raw[key]
		if !ok {
			return nil
		}
		var s *string
		if err := json.Unmarshal(v, &s); err != nil {
			fe.add(key, fmt.Sprintf("The %s must be a string.", human(key)))
			bad[key] = true
			return nil
		}
		if s == nil {
			return new(string)
		}
		return s
	}
	ids := func(key string) *[]int64 {
		v, ok := raw[key]
		if !ok {
			return nil
		}
		list, ok := decodeIDs(key, v, fe)
		if !ok {
			bad[key] = true
			return nil
		}
		return &list
	}
	cb = customerBody{
		Name: str("name"), CurrencyISO: str("currency_iso"), CountryISO: str("country_iso"),
		Realms: ids("realms"), ShownSubRealms: ids("shown_sub_realms"), EnabledSubRealms: ids("enabled_sub_realms"),
		Email: str("email"), FirstName: str("first_name"), LastName: str("last_name"), RoleGroup: str("role_group"),
	}
	return cb, fe, bad, nil
}

// decodeIDs decodes an array of integers. Only JSON integers are accepted ("2" and 2.5
// are not), each bad element reported under its own key ("realms.1").
func decodeIDs(key string, v json.RawMessage, fe fieldErrors) ([]int64, bool) {
	var elems []json.RawMessage
	if err := json.Unmarshal(v, &elems); err != nil {
		fe.add(key, fmt.Sprintf("The %s must be an array.", human(key)))
		return nil, false
	}
	out := make([]int64, 0, len(elems))
	ok := true
	for i, e := range elems {
		n, err := strconv.ParseInt(string(bytes.TrimSpace(e)), 10, 64)
		if err != nil {
			k := fmt.Sprintf("%s.%d", key, i)
			fe.add(k, fmt.Sprintf("The %s must be an integer.", k))
			ok = false
			continue
		}
		out = append(out, n)
	}
	return out, ok
}

// validateInput checks a complete customer (a create, or a PATCH merged onto the stored
// customer) and returns it normalised: duplicate ids collapsed, lists sorted. Fields in
// skip already have a type error and are not checked again.
func (s *Server) validateInput(in CustomerInput, fe fieldErrors, skip map[string]bool) CustomerInput {
	if !skip["name"] && strings.TrimSpace(in.Name) == "" {
		fe.add("name", "The name field is required.")
	}
	if !skip["currency_iso"] {
		switch {
		case in.CurrencyISO == "":
			fe.add("currency_iso", "The currency iso field is required.")
		case !validCode(&iso.Currencies, s.options().ExtraCurrencies, in.CurrencyISO):
			fe.add("currency_iso", "The selected currency iso is invalid.")
		}
	}
	if !skip["country_iso"] {
		switch {
		case in.CountryISO == "":
			fe.add("country_iso", "The country iso field is required.")
		case !validCode(&iso.Countries, s.options().ExtraCountries, in.CountryISO):
			fe.add("country_iso", "The selected country iso is invalid.")
		}
	}
	realmOK := func(id int64) bool { _, ok := findRealm(id); return ok }
	subOK := func(id int64) bool { _, ok := findSubRealm(id); return ok }
	if !skip["realms"] {
		if len(in.Realms) == 0 {
			fe.add("realms", "The realms field is required.")
		}
		checkIDs("realms", in.Realms, realmOK, fe)
	}
	shownValid := skip["shown_sub_realms"] || checkIDs("shown_sub_realms", in.ShownSubRealms, subOK, fe)
	enabledValid := skip["enabled_sub_realms"] || checkIDs("enabled_sub_realms", in.EnabledSubRealms, subOK, fe)
	// The subset rule only makes sense once both lists hold real ids.
	if !skip["shown_sub_realms"] && !skip["enabled_sub_realms"] && shownValid && enabledValid {
		var missing []string
		for _, id := range uniqueSorted(in.EnabledSubRealms) {
			if !slices.Contains(in.ShownSubRealms, id) {
				missing = append(missing, strconv.FormatInt(id, 10))
			}
		}
		if len(missing) > 0 {
			fe.add("enabled_sub_realms", fmt.Sprintf(
				"The enabled sub realms must also be shown sub realms; not shown: %s.", strings.Join(missing, ", ")))
		}
	}
	in.Realms = uniqueSorted(in.Realms)
	in.ShownSubRealms = uniqueSorted(in.ShownSubRealms)
	in.EnabledSubRealms = uniqueSorted(in.EnabledSubRealms)
	return in
}

// validCode accepts a current code of the provider's own dated table
// (internal/iso), written in uppercase, or one of extra: one table for both, so
// the emulator accepts exactly what a plan lets through.
func validCode(table *iso.Table, extra []string, code string) bool {
	return table.IsCurrent(code) || slices.Contains(extra, code)
}

// checkIDs reports every id that is not in the catalogue under its position in the list
// as sent ("realms.2"), like Laravel's "exists" rule on an array's elements.
func checkIDs(key string, ids []int64, known func(int64) bool, fe fieldErrors) bool {
	ok := true
	for i, id := range ids {
		if !known(id) {
			k := fmt.Sprintf("%s.%d", key, i)
			fe.add(k, fmt.Sprintf("The selected %s is invalid.", k))
			ok = false
		}
	}
	return ok
}

// validateAdmin checks the write-only user fields of a create.
func validateAdmin(u AdminUser, fe fieldErrors) {
	if u.Email == "" {
		return
	}
	// A bare address only: "Jane <jane@example.com>" parses too, but is not an email field.
	addr, err := mail.ParseAddress(u.Email)
	if err != nil || addr.Name != "" || addr.Address != u.Email {
		fe.add("email", "The email must be a valid email address.")
	}
}

func uniqueSorted(ids []int64) []int64 {
	out := append([]int64{}, ids...) // never nil: stored and persisted lists are [] not null
	slices.Sort(out)
	return slices.Compact(out)
}
