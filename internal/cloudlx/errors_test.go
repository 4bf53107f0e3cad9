package cloudlx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestAPIErrorFieldMessages(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = io.WriteString(w, `{"message":"Could not create customer.","status_code":422,"errors":{"currency_iso":["The selected currency iso is invalid."],"name":"Taken."}}`)
	})
	_, err := f.client(t).CreateCustomer(context.Background(), CustomerCreate{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v", err)
	}
	if apiErr.Message != "Could not create customer." || apiErr.FieldErrors["currency_iso"][0] != "The selected currency iso is invalid." || apiErr.FieldErrors["name"][0] != "Taken." {
		t.Fatalf("%+v", apiErr)
	}
	for _, want := range []string{"POST " + f.srv.URL + "/api/customers", "HTTP 422", "currency_iso: The selected currency iso is invalid."} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err.Error(), want)
		}
	}
}

func TestMayHaveSucceeded(t *testing.T) {
	cases := map[error]bool{
		&UncertainError{Err: errors.New("EOF")}:               true,
		&APIError{StatusCode: 500}:                            true,
		&APIError{StatusCode: 502}:                            true,
		&APIError{StatusCode: 504}:                            true,
		&APIError{StatusCode: 503}:                            false,
		&APIError{StatusCode: 501}:                            false,
		&APIError{StatusCode: 429}:                            false,
		&APIError{StatusCode: 422}:                            false,
		fmt.Errorf("wrapped: %w", &APIError{StatusCode: 502}): true,
		errors.New("dial tcp: connection refused"):            false,
	}
	for err, want := range cases {
		if got := MayHaveSucceeded(err); got != want {
			t.Errorf("MayHaveSucceeded(%v) = %v, want %v", err, got, want)
		}
	}
}
