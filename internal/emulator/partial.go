package emulator

import (
	"net/http"
	"slices"
)

// The two faults of issue 21 that no status code expresses: answers that
// send the client elsewhere (Redirect), and 200s that are not the whole
// customer (PartialAnswers). A client must refuse both: it follows no
// redirect that would carry its credentials away, and builds no state from
// a partial customer.

// Redirect answers requests with a redirect instead of handling them, as a
// load balancer, a moved portal or a hostile proxy would. The zero value
// redirects nothing.
type Redirect struct {
	// To is the base URL the redirect points to: the Location is To followed
	// by the request's path and query ("http://127.0.0.1:9000" sends GET
	// /api/customers/915 to http://127.0.0.1:9000/api/customers/915). Empty:
	// no redirect.
	To string
	// Status is the 3xx status; 0 means 302.
	Status int
	// Routes limits the redirect to requests whose Route is listed (e.g.
	// "POST /api/oauth2/access-token"); empty redirects every request.
	Routes []string
}

// PartialAnswers makes customer answers (GET /api/customers/{id}, the
// customer list's entries, the POST and PATCH answers) lack top-level fields:
// a 200 that is not the whole customer. The zero value changes nothing.
type PartialAnswers struct {
	// Omit lists customer fields left out ("sub_realms", "name", ...).
	Omit []string
	// Null lists customer fields sent as null.
	Null []string
	// Routes limits it to answers of these routes (e.g. "GET
	// /api/customers/{id}"); empty means every route that answers customers.
	Routes []string
}

// CustomerFields are the customer model's top-level fields, in the documented
// order: what PartialAnswers can leave out or send as null.
var CustomerFields = []string{"id", "name", "currency", "country", "realms", "sub_realms"}

// FaultRedirected is Request.Fault for a request answered by Options.Redirect.
const FaultRedirected = "redirected"

// redirectFor reports whether r is to be redirected, and where.
func (o *Options) redirectFor(route string, r *http.Request) (string, int, bool) {
	rd := o.Redirect
	if rd.To == "" || (len(rd.Routes) > 0 && !slices.Contains(rd.Routes, route)) {
		return "", 0, false
	}
	status := rd.Status
	if status == 0 {
		status = http.StatusFound
	}
	return rd.To + r.URL.RequestURI(), status, true
}

// redirect answers a request with a redirect to location; the body is the
// short HTML note servers add.
func redirect(w http.ResponseWriter, location string, status int) {
	w.Header().Set("Location", location)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte("<html><body>Redirecting to " + location + "</body></html>\n"))
}

// customerAnswer is what a response of route carries for c: its view (see
// customerView), less the fields PartialAnswers takes out for this route.
func (s *Server) customerAnswer(route string, c Customer, omitRealmIDs bool) any {
	view := s.customerView(c, omitRealmIDs)
	p := &s.options().PartialAnswers
	if len(p.Omit) == 0 && len(p.Null) == 0 || len(p.Routes) > 0 && !slices.Contains(p.Routes, route) {
		return view
	}
	fields, ok := view.(ordered)
	if !ok {
		fields = ordered{{"id", c.ID}, {"name", c.Name}, {"currency", c.Currency}, {"country", c.Country},
			{"realms", c.Realms}, {"sub_realms", c.SubRealms}}
	}
	out := make(ordered, 0, len(fields))
	for _, f := range fields {
		switch {
		case slices.Contains(p.Omit, f.key):
		case slices.Contains(p.Null, f.key):
			out = append(out, field{f.key, nil})
		default:
			out = append(out, f)
		}
	}
	return out
}
