package emulator

// Direct access to the store, "behind Terraform's back", as a change made in the portal
// would be. These calls validate like the HTTP API, are not logged as requests, and are
// not subject to faults or latency.

// CreateCustomer stores a new customer. It returns a *ValidationError (the 422 the HTTP
// API would give) for invalid input.
func (s *Server) CreateCustomer(in CustomerInput) (Customer, error) {
	fe := fieldErrors{}
	in = s.validateInput(in.clone(), fe, nil)
	if len(fe) > 0 {
		return Customer{}, &ValidationError{Message: msgCreateFailed, Fields: fe}
	}
	rec, err := s.store.create(in, AdminUser{})
	if err != nil {
		return Customer{}, err
	}
	return buildCustomer(rec.ID, rec.Input), nil
}

// UpdateCustomer changes a customer: mutate gets a copy of its stored input to edit, and
// the result is validated and stored as a whole. It returns ErrNotFound for an unknown
// id and a *ValidationError for an invalid result (the customer is then unchanged).
func (s *Server) UpdateCustomer(id int64, mutate func(*CustomerInput)) (Customer, error) {
	rec, err := s.store.update(id, func(cur CustomerInput) (CustomerInput, error) {
		mutate(&cur)
		fe := fieldErrors{}
		out := s.validateInput(cur, fe, nil)
		if len(fe) > 0 {
			return out, &ValidationError{Message: msgUpdateFailed, Fields: fe}
		}
		return out, nil
	})
	if err != nil {
		return Customer{}, err
	}
	return buildCustomer(rec.ID, rec.Input), nil
}

// DeleteCustomer removes a customer; false if there was none with that id (or, with a
// StatePath, if the state could not be saved).
func (s *Server) DeleteCustomer(id int64) bool {
	ok, err := s.store.delete(id)
	return ok && err == nil
}

// Customer returns a customer in the API's shape (lists sorted by id, never quirky).
func (s *Server) Customer(id int64) (Customer, bool) {
	rec, ok := s.store.get(id)
	if !ok {
		return Customer{}, false
	}
	return buildCustomer(rec.ID, rec.Input), true
}

// Customers returns every customer, sorted by id.
func (s *Server) Customers() []Customer {
	recs := s.store.list()
	out := make([]Customer, len(recs))
	for i, rec := range recs {
		out[i] = buildCustomer(rec.ID, rec.Input)
	}
	return out
}

// AdminUser returns the user fields stored when the customer was created (all empty if
// the create sent none, or the customer was made with CreateCustomer); false if there is
// no customer with that id.
func (s *Server) AdminUser(id int64) (AdminUser, bool) {
	rec, ok := s.store.get(id)
	return rec.Admin, ok
}

// IssueToken mints a valid access token, as a token request would.
func (s *Server) IssueToken() string {
	access, _ := s.tokens.mint()
	return access
}

// IssuedTokens returns every access and refresh token the server has minted, in order,
// expired and revoked ones included: the secrets a test must never find in an output.
func (s *Server) IssuedTokens() []string {
	return s.tokens.all()
}

// RevokeTokens invalidates every minted access and refresh token (Options.StaticTokens
// stay valid), as revoking the API client in the portal would: the next request with an
// old token gets 401.
func (s *Server) RevokeTokens() {
	s.tokens.revokeAll()
}
