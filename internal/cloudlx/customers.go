package cloudlx

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// Customer is the API's customer model. Unknown fields are ignored, as the API
// adds fields without a version bump.
type Customer struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Currency  Currency   `json:"currency"`
	Country   Country    `json:"country"`
	Realms    []Realm    `json:"realms"`
	SubRealms []SubRealm `json:"sub_realms"`
}

// Currency is a customer's default currency; ISO3 is the ISO 4217 code.
type Currency struct {
	Name string `json:"name"`
	ISO2 string `json:"iso_2"`
	ISO3 string `json:"iso_3"`
}

// Country is a customer's country; ISO2 is the ISO 3166-1 alpha-2 code.
type Country struct {
	Name string `json:"name"`
	ISO2 string `json:"iso_2"`
}

// Realm is an entry of the realm catalogue, or a realm a customer can access.
type Realm struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

// SubRealm is an entry of the sub-realm catalogue. Inside a customer, it is a
// sub-realm the customer can see, and HasAccess says whether it can use it.
type SubRealm struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	HasAccess   bool    `json:"has_access"`

	// hasAccessMissing: decoded from an object without has_access (or with
	// null). The catalogue's entries have none; a customer's must, or its
	// enabled sub-realms are unknown rather than empty.
	hasAccessMissing bool
}

// UnmarshalJSON decodes a sub-realm, noting whether has_access was there.
func (s *SubRealm) UnmarshalJSON(b []byte) error {
	type plain SubRealm // without this method
	var v struct {
		plain
		HasAccess optionalBool `json:"has_access"` // shadows plain's
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = SubRealm(v.plain)
	s.HasAccess = v.HasAccess.value
	s.hasAccessMissing = !v.HasAccess.set
	return nil
}

// optionalBool is a JSON boolean that knows whether it was there: absent and
// null leave set false. It decodes without allocating (a list of hundreds of
// customers holds thousands of them).
type optionalBool struct{ set, value bool }

func (o *optionalBool) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "null":
	case "true", "false":
		o.set, o.value = true, string(b) == "true"
	default:
		return &json.UnmarshalTypeError{Value: "non-boolean " + string(b), Type: reflect.TypeFor[bool]()}
	}
	return nil
}

// Missing lists what the answer lacks of what a caller needs to know the
// customer's state, by its JSON name: "name", "currency", "sub_realms",
// "realms[0].id", ...; nil when it lacks nothing. This is the one rule every
// answer is checked against before state is built from it (a single read,
// a write's answer, an entry of the customer list).
//
// Needed: a positive id; a non-empty name; the currency with its iso_3 and
// the country with its iso_2 (the codes configuration is compared with;
// their names are descriptive and may be empty); realms and sub_realms
// present and not null, though possibly empty ([] is a customer without
// any); every realm and sub-realm with its id, and every sub-realm with its
// has_access. A field absent and a field null are the same: the answer does
// not say, and reading either as "none" would show a change nobody made and
// plan a PATCH to undo it. The docs' own create answer omits the ids inside
// realms, so a create or update answer may need a GET to complete it.
func (c *Customer) Missing() []string {
	var missing []string
	if c.ID <= 0 {
		missing = append(missing, "id")
	}
	if c.Name == "" {
		missing = append(missing, "name")
	}
	switch {
	case c.Currency == Currency{}:
		missing = append(missing, "currency")
	case c.Currency.ISO3 == "":
		missing = append(missing, "currency.iso_3")
	}
	switch {
	case c.Country == Country{}:
		missing = append(missing, "country")
	case c.Country.ISO2 == "":
		missing = append(missing, "country.iso_2")
	}
	if c.Realms == nil {
		missing = append(missing, "realms")
	}
	for i, r := range c.Realms {
		if r.ID <= 0 {
			missing = append(missing, fmt.Sprintf("realms[%d].id", i))
		}
	}
	if c.SubRealms == nil {
		missing = append(missing, "sub_realms")
	}
	for i, s := range c.SubRealms {
		if s.ID <= 0 {
			missing = append(missing, fmt.Sprintf("sub_realms[%d].id", i))
		}
		if s.hasAccessMissing {
			missing = append(missing, fmt.Sprintf("sub_realms[%d].has_access", i))
		}
	}
	return missing
}

// IsComplete reports whether the answer lacks nothing (see Missing).
func (c *Customer) IsComplete() bool { return len(c.Missing()) == 0 }

// IncompleteError is a 2xx answer for a customer that lacks what state needs
// (see Customer.Missing). Nothing was built from it.
type IncompleteError struct {
	Method     string
	URL        string // the URL requested
	CustomerID int64
	Listed     bool     // the customer is an entry of the customer list
	Missing    []string // JSON names, as Customer.Missing gives them
}

func (e *IncompleteError) Error() string {
	what := fmt.Sprintf("answered HTTP 200 for customer %d", e.CustomerID)
	if e.Listed {
		what = fmt.Sprintf("listed customer %d", e.CustomerID)
	}
	return fmt.Sprintf("%s %s %s without %s (absent, null or empty): the answer is not the whole customer, so nothing was "+
		"taken from it. Check for a proxy or cache between Terraform and CloudLX that rewrites answers", e.Method, e.URL, what,
		joinFields(e.Missing))
}

// joinFields is "a", "a and b", "a, b and c".
func joinFields(fields []string) string {
	if len(fields) <= 1 {
		return strings.Join(fields, "")
	}
	return strings.Join(fields[:len(fields)-1], ", ") + " and " + fields[len(fields)-1]
}

// CheckListed returns an *IncompleteError when customer, an entry of the
// customer list, lacks what state needs (see Missing), else nil. Callers that
// build state from list entries (the data sources, the list resource) check
// each entry they use; bulk refresh reads an incomplete entry with its own GET.
func (c *Client) CheckListed(customer *Customer) error {
	if missing := customer.Missing(); len(missing) > 0 {
		return &IncompleteError{Method: http.MethodGet, URL: c.URL(customersPath), CustomerID: customer.ID, Listed: true, Missing: missing}
	}
	return nil
}

const customersPath = "/api/customers"

// ShownSubRealmIDs returns the ids of every sub-realm the customer can see.
func (c *Customer) ShownSubRealmIDs() []int64 {
	ids := make([]int64, 0, len(c.SubRealms))
	for _, s := range c.SubRealms {
		ids = append(ids, s.ID)
	}
	return ids
}

// EnabledSubRealmIDs returns the ids of the sub-realms the customer can use.
func (c *Customer) EnabledSubRealmIDs() []int64 {
	ids := make([]int64, 0, len(c.SubRealms))
	for _, s := range c.SubRealms {
		if s.HasAccess {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// RealmIDs returns the ids of the customer's realms.
func (c *Customer) RealmIDs() []int64 {
	ids := make([]int64, 0, len(c.Realms))
	for _, r := range c.Realms {
		ids = append(ids, r.ID)
	}
	return ids
}

// CustomerCreate is the body of POST /api/customers. The user fields create the
// customer's first portal user; the API never returns them.
type CustomerCreate struct {
	Name             string  `json:"name"`
	CurrencyISO      string  `json:"currency_iso"`
	CountryISO       string  `json:"country_iso"`
	Realms           []int64 `json:"realms"`
	ShownSubRealms   []int64 `json:"shown_sub_realms"`
	EnabledSubRealms []int64 `json:"enabled_sub_realms"`
	Email            string  `json:"email,omitempty"`
	FirstName        string  `json:"first_name,omitempty"`
	LastName         string  `json:"last_name,omitempty"`
	RoleGroup        string  `json:"role_group,omitempty"`
}

// CustomerPatch is the body of PATCH /api/customers/{id}: only the non-nil
// fields are sent, so the API changes only those.
type CustomerPatch struct {
	Name             *string  `json:"name,omitempty"`
	CurrencyISO      *string  `json:"currency_iso,omitempty"`
	CountryISO       *string  `json:"country_iso,omitempty"`
	Realms           *[]int64 `json:"realms,omitempty"`
	ShownSubRealms   *[]int64 `json:"shown_sub_realms,omitempty"`
	EnabledSubRealms *[]int64 `json:"enabled_sub_realms,omitempty"`
}

// IsEmpty reports whether the patch would change nothing.
func (p CustomerPatch) IsEmpty() bool {
	return p.Name == nil && p.CurrencyISO == nil && p.CountryISO == nil &&
		p.Realms == nil && p.ShownSubRealms == nil && p.EnabledSubRealms == nil
}

func customerPath(id int64) string { return "/api/customers/" + strconv.FormatInt(id, 10) }

// CreateCustomer creates a customer with one POST and returns the API's answer,
// which may be incomplete (see IsComplete). A transport failure after the
// request was sent is an *UncertainError: the customer may exist.
func (c *Client) CreateCustomer(ctx context.Context, in CustomerCreate) (*Customer, error) {
	// Send [] rather than null for empty lists.
	in.Realms = nonNil(in.Realms)
	in.ShownSubRealms = nonNil(in.ShownSubRealms)
	in.EnabledSubRealms = nonNil(in.EnabledSubRealms)
	var out Customer
	if err := c.do(ctx, http.MethodPost, "/api/customers", in, &out, policyCreate); err != nil {
		return nil, err
	}
	if out.ID <= 0 {
		return nil, &UncertainError{Method: http.MethodPost, Path: "/api/customers",
			Err: fmt.Errorf("the response has no customer id")}
	}
	return &out, nil
}

// GetCustomer reads one customer. A missing customer is an *APIError with
// status 404 (see IsNotFound); an answer that is not the whole customer (see
// Customer.Missing) is an *IncompleteError: nothing may be built from it.
func (c *Client) GetCustomer(ctx context.Context, id int64) (*Customer, error) {
	var out Customer
	if err := c.do(ctx, http.MethodGet, customerPath(id), nil, &out, policyIdempotent); err != nil {
		return nil, err
	}
	got, err := checkSameCustomer(http.MethodGet, id, &out)
	if err != nil {
		return nil, err
	}
	if missing := got.Missing(); len(missing) > 0 {
		return nil, &IncompleteError{Method: http.MethodGet, URL: c.URL(customerPath(id)), CustomerID: id, Missing: missing}
	}
	return got, nil
}

// checkSameCustomer guards state against a 2xx that is not the customer asked
// for: an empty body, `null`, or a proxy's answer would otherwise read as a
// customer with id 0 and no name.
func checkSameCustomer(method string, id int64, got *Customer) (*Customer, error) {
	if got.ID != id {
		return nil, fmt.Errorf("%s %s: the response is not customer %d (it holds id %d)", method, customerPath(id), id, got.ID)
	}
	return got, nil
}

// UpdateCustomer sends one PATCH with the patch's fields and returns the
// customer as the API now holds it.
func (c *Client) UpdateCustomer(ctx context.Context, id int64, patch CustomerPatch) (*Customer, error) {
	for _, list := range []*[]int64{patch.Realms, patch.ShownSubRealms, patch.EnabledSubRealms} {
		if list != nil {
			*list = nonNil(*list)
		}
	}
	var out Customer
	if err := c.do(ctx, http.MethodPatch, customerPath(id), patch, &out, policyIdempotent); err != nil {
		return nil, err
	}
	return checkSameCustomer(http.MethodPatch, id, &out)
}

// DeleteCustomer deletes a customer with one DELETE. A 404 comes back as
// *APIError like any other refusal: it says the route found nothing, which is
// "already gone" only once the customer list confirms it (the caller decides,
// see the provider's confirmation rule). The documented API has no DELETE: a
// 405 or 501 comes back as *APIError too.
func (c *Client) DeleteCustomer(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, customerPath(id), nil, nil, policyIdempotent)
}

// ListCustomers returns every customer, following the API's pagination.
func (c *Client) ListCustomers(ctx context.Context) ([]Customer, error) {
	return listAll[Customer](ctx, c, customersPath, "customers", func(c Customer) int64 { return c.ID }, policyIdempotent)
}

// ListCustomersFailFast is ListCustomers for a caller with a cheaper fallback
// than retrying a failure: the first failure of a page (5xx, a connection
// error) is returned at once, and a 401 still renews the token. A 429 is
// waited out as the API asks and the page sent again, as by every call (an
// *APIError with status 429 when the client stopped waiting): the caller's
// fallback would be throttled too.
func (c *Client) ListCustomersFailFast(ctx context.Context) ([]Customer, error) {
	return listAll[Customer](ctx, c, customersPath, "customers", func(c Customer) int64 { return c.ID }, policyFailFast)
}

// ListRealms returns the realm catalogue (GET /api/realms; the path is inferred).
func (c *Client) ListRealms(ctx context.Context) ([]Realm, error) {
	return listAll[Realm](ctx, c, "/api/realms", "realms", func(r Realm) int64 { return r.ID }, policyIdempotent)
}

// ListSubRealms returns the sub-realm catalogue (GET /api/sub-realms; the path is inferred).
func (c *Client) ListSubRealms(ctx context.Context) ([]SubRealm, error) {
	return listAll[SubRealm](ctx, c, "/api/sub-realms", "sub_realms", func(s SubRealm) int64 { return s.ID }, policyIdempotent)
}

// MaxPerPage is the largest page the API documents.
const MaxPerPage = 200

// maxPages bounds a list that paginates without saying how many items it holds.
const maxPages = 10000

// listAll fetches a list endpoint. When the answer says it paginates, it asks
// for the next page until a page comes back empty or shorter than the first
// one, or num_results items are in hand. It never assumes the server honoured
// max_per_page, and drops items seen on an earlier page (lists can shift while
// they are paged).
//
// It always ends: a page that adds no new item (a server that ignores `page`
// answers the first page again and again) ends the list, and so does reaching
// ceil(num_results / first page's size) + 1 pages (one more than the count
// needs, for items that shifted while paging; maxPages without a count). When either stop is reached
// with fewer items than num_results promised, the answer contradicts itself:
// that is an error, because a caller deciding that a customer is gone must not
// read a truncated list as the whole.
func listAll[T any](ctx context.Context, c *Client, path, key string, idOf func(T) int64, policy retryPolicy) ([]T, error) {
	var all []T
	seen := map[int64]bool{}
	firstPageLen, total, pageLimit := 0, 0, 1
	for page := 1; page <= pageLimit; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "max_per_page": {strconv.Itoa(MaxPerPage)}}
		var doc map[string]jsonRaw
		if err := c.do(ctx, http.MethodGet, path+"?"+q.Encode(), nil, &doc, policy); err != nil {
			return nil, err
		}
		var items []T
		if raw, ok := doc[key]; ok {
			if err := raw.decode(&items); err != nil {
				return nil, fmt.Errorf("GET %s: decoding %q: %w", c.URL(path), key, err)
			}
		} else {
			return nil, fmt.Errorf("GET %s: the response has no %q list", c.URL(path), key)
		}
		added := 0
		for _, it := range items {
			if id := idOf(it); !seen[id] {
				seen[id] = true
				all = append(all, it)
				added++
			}
		}
		var paginates bool
		_ = doc["paginates"].decode(&paginates)
		if page == 1 {
			_ = doc["num_results"].decode(&total)
			firstPageLen = len(items)
			switch {
			case !paginates || firstPageLen == 0:
			case total > 0:
				pageLimit = pagesFor(total, firstPageLen) + 1
			default: // no count: only a short page (or a repeated one) ends it
				pageLimit = maxPages
			}
		}
		if !paginates || len(items) == 0 || len(items) < firstPageLen || (total > 0 && len(all) >= total) {
			return all, nil
		}
		if added == 0 {
			return nil, inconsistentList(c.URL(path), page, len(all), total,
				fmt.Sprintf("page %d added no item that earlier pages did not hold (the server may ignore the page parameter)", page))
		}
	}
	return nil, inconsistentList(c.URL(path), pageLimit, len(all), total,
		fmt.Sprintf("%d pages of up to %d items should hold them all", pageLimit, firstPageLen))
}

// pagesFor is ceil(total / perPage), at least 1.
func pagesFor(total, perPage int) int {
	if total <= 0 || perPage <= 0 {
		return 1
	}
	return (total + perPage - 1) / perPage
}

func inconsistentList(where string, pages, got, total int, why string) error {
	return fmt.Errorf("GET %s: the list is inconsistent: it says \"paginates\": true and \"num_results\": %d, but %d pages "+
		"returned %d distinct items and %s. The list was not used; check for a proxy that caches or rewrites the query string",
		where, total, pages, got, why)
}
