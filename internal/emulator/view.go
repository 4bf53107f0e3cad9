package emulator

import (
	"fmt"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
)

// customerView is what a response carries for c. Normally that is c itself; with
// Quirks, or for a create response under OmitRealmIDsOnCreate, it is an ordered object
// built from c, so that fields can be added or left out while the documented fields
// keep their documented order.
func (s *Server) customerView(c Customer, omitRealmIDs bool) any {
	if !s.options().Quirks && !omitRealmIDs {
		return c
	}
	realms := make([]any, len(c.Realms))
	for i, r := range c.Realms {
		realms[i] = s.realmView(r, !omitRealmIDs)
	}
	subs := make([]any, len(c.SubRealms))
	for i, sr := range c.SubRealms {
		if s.options().Quirks {
			subs[i] = ordered{{"id", sr.ID}, {"name", sr.Name}, {"description", sr.Description},
				{"has_access", sr.HasAccess}, {"slug", slug(sr.Name)}}
		} else {
			subs[i] = sr
		}
	}
	s.shuffleIfQuirky(realms)
	s.shuffleIfQuirky(subs)
	if !s.options().Quirks {
		return ordered{{"id", c.ID}, {"name", c.Name}, {"currency", c.Currency}, {"country", c.Country},
			{"realms", realms}, {"sub_realms", subs}}
	}
	country := ordered{{"name", c.Country.Name}, {"iso_2", c.Country.ISO2}}
	if r, err := language.ParseRegion(c.Country.ISO2); err == nil {
		country = append(country, field{"iso_3", r.ISO3()})
	}
	return ordered{
		{"id", c.ID},
		{"name", c.Name},
		{"currency", ordered{{"name", c.Currency.Name}, {"iso_2", c.Currency.ISO2}, {"iso_3", c.Currency.ISO3},
			{"symbol", currencySymbol(c.Currency.ISO3)}}},
		{"country", country},
		{"realms", realms},
		{"sub_realms", subs},
		{"status", "active"},
		{"links", ordered{{"self", fmt.Sprintf("/api/customers/%d", c.ID)}}},
	}
}

// realmView is a realm as a response carries it, with or without its id.
func (s *Server) realmView(r Realm, withID bool) any {
	if !s.options().Quirks && withID {
		return r
	}
	var o ordered
	if withID {
		o = append(o, field{"id", r.ID})
	}
	o = append(o, field{"name", r.Name}, field{"description", r.Description})
	if s.options().Quirks {
		o = append(o, field{"slug", slug(r.Name)})
	}
	return o
}

// shuffleIfQuirky puts a list in a new random order under Quirks: the API promises no
// order, and clients that compare lists in order would show spurious diffs.
func (s *Server) shuffleIfQuirky(items []any) {
	if s.options().Quirks {
		s.shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	}
}

func currencySymbol(code string) string {
	u, err := currency.ParseISO(code)
	if err != nil {
		return code
	}
	return fmt.Sprint(currency.Symbol(u))
}
