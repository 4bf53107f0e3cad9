package cloudlx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The fuzz targets feed arbitrary answers to the client. Their seeds are in
// testdata/fuzz/<FuzzName>/; `make test` runs each target for a few seconds.

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// answering returns a client whose every request gets status and body.
func answering(t *testing.T, status int, body []byte) *Client {
	c, err := New(Config{
		Endpoint: "https://cloudlx.example", AccessToken: "fuzz-token", MaxRetries: 0,
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FuzzCustomerResponse: whatever the API answers to a read or a create, the
// client returns a customer or an error (never panics), and a create that
// got a 2xx it cannot use is reported as one that may have succeeded, so the
// user is told to look for the customer rather than to apply again.
func FuzzCustomerResponse(f *testing.F) {
	f.Add(200, []byte(customerJSON))
	f.Add(200, []byte(`{"id":1,"realms":[{"name":"no id"}]}`))
	f.Add(422, []byte(`{"message":"Could not create customer.","status_code":422,"errors":{"realms.0":["The selected realms.0 is invalid."]}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 200 + (status%400+400)%400 // 200..599
		ctx := context.Background()

		got, err := answering(t, status, body).GetCustomer(ctx, 915)
		switch {
		case status/100 == 2 && err == nil && (got == nil || got.ID != 915):
			t.Fatalf("read of customer 915 returned %+v", got)
		case status/100 == 2 && err != nil && !strings.Contains(err.Error(), "decoding the response") &&
			!strings.Contains(err.Error(), "is not customer 915") && !errors.As(err, new(*IncompleteError)):
			t.Fatalf("2xx read failed for another reason: %v", err)
		case status/100 == 2 && err == nil && !got.IsComplete():
			t.Fatalf("read returned an incomplete customer: %+v", got)
		case status/100 == 3 && !IsRedirect(err):
			t.Fatalf("status %d read: err = %v, want a redirect error", status, err)
		case status/100 > 3 && StatusCode(err) != status:
			t.Fatalf("status %d read: err = %v", status, err)
		}

		created, err := answering(t, status, body).CreateCustomer(ctx, CustomerCreate{Name: "Fuzz"})
		switch {
		case status/100 == 2 && err == nil && (created == nil || created.ID <= 0):
			t.Fatalf("create returned %+v without an id", created)
		case status/100 == 2 && err != nil && !MayHaveSucceeded(err):
			t.Fatalf("a 2xx create ended in a certain failure: %v", err)
		case status/100 == 3 && (!IsRedirect(err) || MayHaveSucceeded(err)):
			t.Fatalf("status %d create: err = %v, want a redirect error", status, err)
		case status/100 > 3:
			wantUncertain := status >= 500 && status != 501 && status != 503
			if StatusCode(err) != status || MayHaveSucceeded(err) != wantUncertain {
				t.Fatalf("status %d create: err = %v, MayHaveSucceeded = %v", status, err, MayHaveSucceeded(err))
			}
		}
	})
}

// FuzzErrorResponse: any error body becomes an *APIError that names the
// request and its status, keeps a raw body only within its limit, and never
// panics.
func FuzzErrorResponse(f *testing.F) {
	f.Add(422, []byte(`{"message":"Could not create customer.","status_code":422,"errors":{"currency_iso":["The selected currency iso is invalid."],"name":"Taken."}}`))
	f.Add(401, []byte(`{"error":"invalid_client","error_description":"Client authentication failed"}`))
	f.Add(502, []byte(`<html><body>Bad Gateway</body></html>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 400 + (status%200+200)%200 // 400..599
		e := newAPIError(&Redactor{}, http.MethodPost, "/api/customers", "", status, body)
		msg := e.Error()
		if !strings.HasPrefix(msg, fmt.Sprintf("POST /api/customers: HTTP %d", status)) {
			t.Fatalf("Error() = %q", msg)
		}
		if len(e.Body) > maxErrorBody+len("…") {
			t.Fatalf("raw body kept at %d bytes", len(e.Body))
		}
		for _, field := range e.SortedFields() {
			if len(e.FieldErrors[field]) == 0 {
				t.Fatalf("field %q without a message", field)
			}
		}
	})
}
