package emulator

import (
	"sort"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Customer is a customer exactly as the API returns it.
type Customer struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Currency  Currency   `json:"currency"`
	Country   Country    `json:"country"`
	Realms    []Realm    `json:"realms"`
	SubRealms []SubRealm `json:"sub_realms"`
}

// Currency is the customer's default currency. ISO3 is the ISO 4217 code; ISO2 is its
// first two letters (the docs show "GB" for GBP).
type Currency struct {
	Name string `json:"name"`
	ISO2 string `json:"iso_2"`
	ISO3 string `json:"iso_3"`
}

// Country is the customer's country; ISO2 is the ISO 3166-1 alpha-2 code.
type Country struct {
	Name string `json:"name"`
	ISO2 string `json:"iso_2"`
}

// Realm is one entry of the realm catalogue, and of a customer's "realms".
type Realm struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// SubRealm is one entry of a customer's "sub_realms": a shown sub-realm, with HasAccess
// when it is also enabled. Description is null for some catalogue entries, as in the docs.
// In the catalogue (SubRealms, GET /api/sub-realms) HasAccess means nothing and is false.
type SubRealm struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	HasAccess   bool    `json:"has_access"`
}

// CustomerInput is what a customer is stored as: the API's request fields. Lists are
// stored without duplicates and sorted; their order never matters.
type CustomerInput struct {
	Name             string  `json:"name"`
	CurrencyISO      string  `json:"currency_iso"`
	CountryISO       string  `json:"country_iso"`
	Realms           []int64 `json:"realms"`
	ShownSubRealms   []int64 `json:"shown_sub_realms"`
	EnabledSubRealms []int64 `json:"enabled_sub_realms"`
}

// AdminUser holds the write-only user fields of a create request. The API never returns
// them; the emulator keeps them so tests can check what the provider sent.
type AdminUser struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	RoleGroup string `json:"role_group"`
}

func (in CustomerInput) clone() CustomerInput {
	in.Realms = append([]int64(nil), in.Realms...)
	in.ShownSubRealms = append([]int64(nil), in.ShownSubRealms...)
	in.EnabledSubRealms = append([]int64(nil), in.EnabledSubRealms...)
	return in
}

// The catalogue. Ids 1, 2, 7, 313 and 328 and their texts are the ones in the docs'
// examples; the rest are made up so that tests have more than one choice of each kind.
var (
	realmCatalogue = []Realm{
		{ID: 1, Name: "Default", Description: "Default"},
		{ID: 2, Name: "Networking", Description: "Cloud Link Exchange"},
		{ID: 3, Name: "Compute", Description: "Virtual servers and private cloud compute"},
		{ID: 4, Name: "Storage", Description: "Object and block storage"},
		{ID: 5, Name: "Security", Description: "Firewalls, DDoS protection and managed security"},
		{ID: 7, Name: "Voice", Description: "buying geographic, toll-free, mobile and premium-rate numbers worldwide"},
	}
	subRealmCatalogue = []SubRealm{
		{ID: 301, Name: "Internet Access", Description: ptr("Dedicated and broadband internet access")},
		{ID: 313, Name: "SD WAN"},
		{ID: 328, Name: "Cloud SBC & Conversion"},
		{ID: 340, Name: "SIP Trunking", Description: ptr("SIP trunks for PBXs and contact centres")},
		{ID: 355, Name: "Number Porting", Description: ptr("Porting existing numbers in and out")},
		{ID: 362, Name: "Teams Direct Routing"},
	}
)

func ptr[T any](v T) *T { return &v }

// Realms returns the realm catalogue, sorted by id. The catalogue is the same for every
// Server and never changes.
func Realms() []Realm {
	return append([]Realm(nil), realmCatalogue...)
}

// SubRealms returns the sub-realm catalogue, sorted by id, with HasAccess false. The
// catalogue is the same for every Server and never changes.
func SubRealms() []SubRealm {
	out := make([]SubRealm, len(subRealmCatalogue))
	for i, sr := range subRealmCatalogue {
		out[i] = sr
		if sr.Description != nil {
			out[i].Description = ptr(*sr.Description) // callers must not reach the shared catalogue
		}
	}
	return out
}

func findRealm(id int64) (Realm, bool) {
	for _, r := range realmCatalogue {
		if r.ID == id {
			return r, true
		}
	}
	return Realm{}, false
}

func findSubRealm(id int64) (SubRealm, bool) {
	for _, sr := range subRealmCatalogue {
		if sr.ID == id {
			return sr, true
		}
	}
	return SubRealm{}, false
}

// currencyNames gives the English names the API puts after the code in currency.name
// ("USD - US Dollar"). x/text has no currency names, so a short table of the common ones;
// other codes are named by the code alone.
var currencyNames = map[string]string{
	"AED": "UAE Dirham",
	"AUD": "Australian Dollar",
	"BGN": "Bulgarian Lev",
	"BRL": "Brazilian Real",
	"CAD": "Canadian Dollar",
	"CHF": "Swiss Franc",
	"CNY": "Chinese Yuan",
	"CZK": "Czech Koruna",
	"DKK": "Danish Krone",
	"EUR": "Euro",
	"GBP": "British Pound",
	"HKD": "Hong Kong Dollar",
	"HUF": "Hungarian Forint",
	"ILS": "Israeli New Shekel",
	"INR": "Indian Rupee",
	"JPY": "Japanese Yen",
	"KRW": "South Korean Won",
	"MXN": "Mexican Peso",
	"NOK": "Norwegian Krone",
	"NZD": "New Zealand Dollar",
	"PLN": "Polish Zloty",
	"RON": "Romanian Leu",
	"SEK": "Swedish Krona",
	"SGD": "Singapore Dollar",
	"TRY": "Turkish Lira",
	"USD": "US Dollar",
	"ZAR": "South African Rand",
}

func currencyOf(code string) Currency {
	name := code
	if n, ok := currencyNames[code]; ok {
		name = code + " - " + n
	}
	return Currency{Name: name, ISO2: code[:2], ISO3: code}
}

func countryOf(code string) Country {
	name := code
	if r, err := language.ParseRegion(code); err == nil {
		if n := display.English.Regions().Name(r); n != "" {
			name = n
		}
	}
	return Country{Name: name, ISO2: code}
}

// buildCustomer renders a stored customer in the API's shape, lists sorted by id.
func buildCustomer(id int64, in CustomerInput) Customer {
	c := Customer{
		ID:        id,
		Name:      in.Name,
		Currency:  currencyOf(in.CurrencyISO),
		Country:   countryOf(in.CountryISO),
		Realms:    []Realm{},
		SubRealms: []SubRealm{},
	}
	for _, rid := range in.Realms {
		if r, ok := findRealm(rid); ok {
			c.Realms = append(c.Realms, r)
		}
	}
	enabled := make(map[int64]bool, len(in.EnabledSubRealms))
	for _, id := range in.EnabledSubRealms {
		enabled[id] = true
	}
	for _, sid := range in.ShownSubRealms {
		if sr, ok := findSubRealm(sid); ok {
			if sr.Description != nil {
				sr.Description = ptr(*sr.Description)
			}
			sr.HasAccess = enabled[sid]
			c.SubRealms = append(c.SubRealms, sr)
		}
	}
	sort.Slice(c.Realms, func(i, j int) bool { return c.Realms[i].ID < c.Realms[j].ID })
	sort.Slice(c.SubRealms, func(i, j int) bool { return c.SubRealms[i].ID < c.SubRealms[j].ID })
	return c
}

// slug is used by Quirks to invent plausible extra fields.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
