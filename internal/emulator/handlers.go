package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// --- OAuth2 ---

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	// Scope is only sent under Quirks: a field the docs do not list.
	Scope *string `json:"scope,omitempty"`
}

// tokenParams reads the token request's parameters from a JSON, form-urlencoded or
// multipart body, falling back to the query string (one public client sends them there).
func tokenParams(r *http.Request, body []byte) (map[string]string, error) {
	params := map[string]string{}
	switch tokenBodyKind(r.Header.Get("Content-Type"), body) {
	case "json":
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, err
		}
		for k, v := range m {
			if s, ok := v.(string); ok {
				params[k] = s
			}
		}
	case "multipart":
		vals, err := parseMultipart(r.Header.Get("Content-Type"), body)
		if err != nil {
			return nil, err
		}
		for k := range vals {
			params[k] = vals.Get(k)
		}
	default:
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		for k := range vals {
			params[k] = vals.Get(k)
		}
	}
	for k, v := range r.URL.Query() {
		if _, ok := params[k]; !ok && len(v) > 0 {
			params[k] = v[0]
		}
	}
	return params, nil
}

// requireParams answers 422 naming each missing parameter; false when it did.
func requireParams(w http.ResponseWriter, params map[string]string, names ...string) bool {
	fe := fieldErrors{}
	for _, n := range names {
		if params[n] == "" {
			fe.add(n, fmt.Sprintf("The %s field is required.", human(n)))
		}
	}
	if len(fe) > 0 {
		writeError(w, http.StatusUnprocessableEntity, "The given data was invalid.", fe)
		return false
	}
	return true
}

func (s *Server) clientOK(params map[string]string) bool {
	// Both compared, always: no early exit that would time which one was wrong.
	idOK := equalSecret(params["client_id"], s.options().ClientID)
	secretOK := equalSecret(params["client_secret"], s.options().ClientSecret)
	return idOK && secretOK
}

func (s *Server) accessToken(w http.ResponseWriter, r *http.Request, c *call) {
	params, err := tokenParams(r, c.body)
	if s.options().TokenFormOnly && tokenBodyKind(r.Header.Get("Content-Type"), c.body) == "json" {
		// A server that reads forms only finds nothing in a JSON body but the query.
		params, err = tokenParams(&http.Request{URL: r.URL, Header: http.Header{}}, nil)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "The request body could not be parsed.", nil)
		return
	}
	if !requireParams(w, params, "grant_type", "client_id", "client_secret") {
		return
	}
	if params["grant_type"] != "client_credentials" {
		writeError(w, http.StatusBadRequest, "The authorization grant type is not supported by the authorization server.", nil)
		return
	}
	if !s.clientOK(params) {
		writeError(w, http.StatusUnauthorized, "Invalid client credentials.", nil)
		return
	}
	s.writeToken(w)
}

// refreshToken is the refresh grant (API reference 2.2; its contract is inferred from
// client code): a valid, unused refresh token plus the client credentials get a new
// pair, and the old refresh token stops working.
func (s *Server) refreshToken(w http.ResponseWriter, r *http.Request, c *call) {
	params, err := tokenParams(r, c.body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "The request body could not be parsed.", nil)
		return
	}
	if !requireParams(w, params, "grant_type", "refresh_token", "client_id", "client_secret") {
		return
	}
	// One public client sends client_credentials with a refresh_token; accept that too.
	if gt := params["grant_type"]; gt != "refresh_token" && gt != "client_credentials" {
		writeError(w, http.StatusBadRequest, "The authorization grant type is not supported by the authorization server.", nil)
		return
	}
	if !s.clientOK(params) {
		writeError(w, http.StatusUnauthorized, "Invalid client credentials.", nil)
		return
	}
	if !s.tokens.useRefresh(params["refresh_token"]) {
		writeError(w, http.StatusUnauthorized, "The refresh token is invalid.", nil)
		return
	}
	s.writeToken(w)
}

func (s *Server) writeToken(w http.ResponseWriter) {
	access, refresh := s.tokens.mint()
	resp := tokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: s.tokens.expiresIn(), RefreshToken: refresh}
	if s.options().Quirks {
		// The vendor SDK's test fixture has this token_type; the docs say to ignore the
		// field and always send "Bearer". Clients that trust token_type fail here.
		resp.TokenType = "client_credentials"
		resp.Scope = ptr("")
	}
	writeJSON(w, http.StatusOK, resp)
}

// --- customers ---

const msgNotFound = "Customer not found."

// parseID accepts a positive decimal id; anything else is a customer that does not exist.
func parseID(s string) (int64, bool) {
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request, c *call) {
	recs := s.store.list()
	lo, hi := s.pageBounds(r.URL.Query(), len(recs))
	items := make([]any, 0, hi-lo)
	for _, rec := range recs[lo:hi] {
		items = append(items, s.customerAnswer(c.route, buildCustomer(rec.ID, rec.Input), false))
	}
	s.writeList(w, "customers", items, len(recs))
}

func (s *Server) getCustomer(w http.ResponseWriter, _ *http.Request, c *call) {
	id, ok := parseID(c.id)
	if !ok {
		writeError(w, http.StatusNotFound, msgNotFound, nil)
		return
	}
	rec, ok := s.store.get(id)
	if !ok {
		writeError(w, http.StatusNotFound, msgNotFound, nil)
		return
	}
	writeJSON(w, http.StatusOK, s.customerAnswer(c.route, buildCustomer(rec.ID, rec.Input), false))
}

func (s *Server) createCustomer(w http.ResponseWriter, _ *http.Request, c *call) {
	cb, fe, bad, err := decodeCustomerBody(c.body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "The request body is not a valid JSON object.", nil)
		return
	}
	in := CustomerInput{Name: deref(cb.Name), CurrencyISO: deref(cb.CurrencyISO), CountryISO: deref(cb.CountryISO)}
	if cb.Realms != nil {
		in.Realms = *cb.Realms
	}
	if cb.ShownSubRealms != nil {
		in.ShownSubRealms = *cb.ShownSubRealms
	}
	if cb.EnabledSubRealms != nil {
		in.EnabledSubRealms = *cb.EnabledSubRealms
	}
	admin := AdminUser{Email: deref(cb.Email), FirstName: deref(cb.FirstName), LastName: deref(cb.LastName), RoleGroup: deref(cb.RoleGroup)}
	in = s.validateInput(in, fe, bad)
	if !bad["email"] {
		validateAdmin(admin, fe)
	}
	if len(fe) > 0 {
		writeError(w, http.StatusUnprocessableEntity, msgCreateFailed, fe)
		return
	}
	in.Realms = s.withImplicitRealms(in.Realms)
	rec, err := s.store.create(in, admin)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Server Error", nil)
		return
	}
	writeJSON(w, http.StatusOK, s.customerAnswer(c.route, buildCustomer(rec.ID, rec.Input), s.options().OmitRealmIDsOnCreate))
}

// withImplicitRealms adds Options.ImplicitRealms to a customer's realms.
func (s *Server) withImplicitRealms(realms []int64) []int64 {
	realms = slices.Clone(realms)
	for _, id := range s.options().ImplicitRealms {
		if !slices.Contains(realms, id) {
			realms = append(realms, id)
		}
	}
	return realms
}

func (s *Server) patchCustomer(w http.ResponseWriter, _ *http.Request, c *call) {
	id, ok := parseID(c.id)
	if ok {
		_, ok = s.store.get(id)
	}
	if !ok {
		writeError(w, http.StatusNotFound, msgNotFound, nil)
		return
	}
	cb, fe, bad, err := decodeCustomerBody(c.body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "The request body is not a valid JSON object.", nil)
		return
	}
	// The user fields are create-only: PATCH ignores them, type errors included.
	for _, k := range []string{"email", "first_name", "last_name", "role_group"} {
		delete(fe, k)
		delete(bad, k)
	}
	if s.options().PatchRequiresAll {
		present := map[string]bool{"name": cb.Name != nil, "currency_iso": cb.CurrencyISO != nil,
			"country_iso": cb.CountryISO != nil, "realms": cb.Realms != nil}
		for _, k := range []string{"name", "currency_iso", "country_iso", "realms"} {
			if !present[k] {
				fe.add(k, fmt.Sprintf("The %s field is required.", human(k)))
			}
		}
		if len(fe) > 0 {
			writeError(w, http.StatusUnprocessableEntity, msgUpdateFailed, fe)
			return
		}
	}
	if s.options().PatchSubRealmsTogether {
		for _, pair := range [][2]string{{"shown_sub_realms", "enabled_sub_realms"}, {"enabled_sub_realms", "shown_sub_realms"}} {
			present := map[string]bool{"shown_sub_realms": cb.ShownSubRealms != nil, "enabled_sub_realms": cb.EnabledSubRealms != nil}
			if present[pair[1]] && !present[pair[0]] {
				fe.add(pair[0], fmt.Sprintf("The %s field is required when %s is present.", human(pair[0]), human(pair[1])))
			}
		}
		if len(fe) > 0 {
			writeError(w, http.StatusUnprocessableEntity, msgUpdateFailed, fe)
			return
		}
	}
	merge := s.options().PatchMergesArrays
	locked := s.options().LockedFields
	rec, err := s.store.update(id, func(cur CustomerInput) (CustomerInput, error) {
		if cb.CurrencyISO != nil && *cb.CurrencyISO != cur.CurrencyISO && slices.Contains(locked, "currency_iso") {
			fe.add("currency_iso", "The currency iso cannot be changed after the customer has been created.")
		}
		if cb.CountryISO != nil && *cb.CountryISO != cur.CountryISO && slices.Contains(locked, "country_iso") {
			fe.add("country_iso", "The country iso cannot be changed after the customer has been created.")
		}
		if len(fe) > 0 {
			return cur, &ValidationError{Message: msgUpdateFailed, Fields: fe}
		}
		if merge {
			cb.Realms = mergeIDs(cur.Realms, cb.Realms)
			cb.ShownSubRealms = mergeIDs(cur.ShownSubRealms, cb.ShownSubRealms)
			cb.EnabledSubRealms = mergeIDs(cur.EnabledSubRealms, cb.EnabledSubRealms)
		}
		if cb.Name != nil {
			cur.Name = *cb.Name
		}
		if cb.CurrencyISO != nil {
			cur.CurrencyISO = *cb.CurrencyISO
		}
		if cb.CountryISO != nil {
			cur.CountryISO = *cb.CountryISO
		}
		if cb.Realms != nil {
			cur.Realms = *cb.Realms
		}
		if cb.ShownSubRealms != nil {
			cur.ShownSubRealms = *cb.ShownSubRealms
		}
		if cb.EnabledSubRealms != nil {
			cur.EnabledSubRealms = *cb.EnabledSubRealms
		}
		out := s.validateInput(cur, fe, bad)
		if len(fe) > 0 {
			return out, &ValidationError{Message: msgUpdateFailed, Fields: fe}
		}
		out.Realms = s.withImplicitRealms(out.Realms)
		return out, nil
	})
	var ve *ValidationError
	switch {
	case errors.Is(err, ErrNotFound): // deleted since the check above
		writeError(w, http.StatusNotFound, msgNotFound, nil)
	case errors.As(err, &ve):
		writeError(w, http.StatusUnprocessableEntity, ve.Message, ve.Fields)
	case err != nil:
		writeError(w, http.StatusInternalServerError, "Server Error", nil)
	default:
		writeJSON(w, http.StatusOK, s.customerAnswer(c.route, buildCustomer(rec.ID, rec.Input), false))
	}
}

// mergeIDs is what a PATCH that merges arrays stores: the ids held plus the ids
// sent. A field not sent stays nil (not part of the PATCH).
func mergeIDs(held []int64, sent *[]int64) *[]int64 {
	if sent == nil {
		return nil
	}
	out := slices.Clone(held)
	for _, id := range *sent {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return &out
}

func (s *Server) deleteCustomer(w http.ResponseWriter, _ *http.Request, c *call) {
	id, ok := parseID(c.id)
	if !ok {
		writeError(w, http.StatusNotFound, msgNotFound, nil)
		return
	}
	deleted, err := s.store.delete(id)
	switch {
	case err != nil:
		writeError(w, http.StatusInternalServerError, "Server Error", nil)
	case !deleted:
		writeError(w, http.StatusNotFound, msgNotFound, nil)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// --- catalogues ---

// catalogueSubRealm is a sub-realm as the catalogue lists it: has_access only means
// something for a customer.
type catalogueSubRealm struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

func (s *Server) listRealms(w http.ResponseWriter, r *http.Request, _ *call) {
	lo, hi := s.pageBounds(r.URL.Query(), len(realmCatalogue))
	items := make([]any, 0, hi-lo)
	for _, rl := range realmCatalogue[lo:hi] {
		items = append(items, s.realmView(rl, true))
	}
	s.shuffleIfQuirky(items)
	s.writeList(w, "realms", items, len(realmCatalogue))
}

func (s *Server) listSubRealms(w http.ResponseWriter, r *http.Request, _ *call) {
	lo, hi := s.pageBounds(r.URL.Query(), len(subRealmCatalogue))
	items := make([]any, 0, hi-lo)
	for _, sr := range subRealmCatalogue[lo:hi] {
		var v any = catalogueSubRealm{ID: sr.ID, Name: sr.Name, Description: sr.Description}
		if s.options().Quirks {
			v = ordered{{"id", sr.ID}, {"name", sr.Name}, {"description", sr.Description}, {"slug", slug(sr.Name)}}
		}
		items = append(items, v)
	}
	s.shuffleIfQuirky(items)
	s.writeList(w, "sub_realms", items, len(subRealmCatalogue))
}

// pageBounds picks the slice of a list of total items that the request's page holds.
// Without PageSize everything is one page and the query is ignored. With it, ?page is
// 1-based (missing or invalid: 1) and ?max_per_page can only make pages smaller: like
// servers that cap it, this one never returns more than PageSize items. With
// IgnoreMaxPerPage every page holds PageSize items.
func (s *Server) pageBounds(q url.Values, total int) (lo, hi int) {
	if s.options().PageSize <= 0 {
		return 0, total
	}
	per := s.options().PageSize
	if n, err := strconv.Atoi(q.Get("max_per_page")); err == nil && n > 0 && n < per && !s.options().IgnoreMaxPerPage {
		per = n
	}
	page := 1
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 && !s.options().ListIgnoresPage {
		page = n
	}
	if page-1 > total/per { // past the end (and no overflow for huge page numbers)
		return total, total
	}
	lo = min(total, (page-1)*per)
	return lo, min(total, lo+per)
}

// writeList answers a list in the documented paginated-list shape, the list first:
// {"customers": [...], "num_results": n, "paginates": bool}.
func (s *Server) writeList(w http.ResponseWriter, key string, items []any, total int) {
	resp := ordered{{key, items}, {"num_results", total}, {"paginates", s.options().PageSize > 0}}
	if s.options().Quirks {
		resp = append(resp, field{"meta", ordered{{"api_version", "v1"}}})
	}
	writeJSON(w, http.StatusOK, resp)
}

// ordered is a JSON object that keeps its keys in the order given (a map would sort
// them), so list responses read like the documented examples.
type ordered []field

type field struct {
	key   string
	value any
}

func (o ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(f.key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(f.value); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
