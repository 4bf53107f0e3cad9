package cloudlx

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestUpdateSendsOnlyGivenFields(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.Method != http.MethodPatch || r.URL.Path != "/api/customers/915" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s %s", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		_, _ = io.WriteString(w, customerJSON)
	})
	name := "New name"
	empty := []int64(nil)
	if _, err := f.client(t).UpdateCustomer(context.Background(), 915, CustomerPatch{Name: &name, EnabledSubRealms: &empty}); err != nil {
		t.Fatal(err)
	}
	if got := f.lastBodies[0]; got != `{"name":"New name","enabled_sub_realms":[]}` {
		t.Fatalf("body = %s", got)
	}
}

func TestCreateSendsEmptyListsNotNull(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) { _, _ = io.WriteString(w, customerJSON) })
	_, err := f.client(t).CreateCustomer(context.Background(), CustomerCreate{Name: "A", CurrencyISO: "USD", CountryISO: "US", Realms: []int64{2}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"A","currency_iso":"USD","country_iso":"US","realms":[2],"shown_sub_realms":[],"enabled_sub_realms":[]}`
	if f.lastBodies[0] != want {
		t.Fatalf("body = %s", f.lastBodies[0])
	}
}

// A DELETE's 404 is returned as such: only the customer list can make it
// "already gone" (the provider's rule), so the client does not decide.
func TestDeleteReturnsNotFound(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = io.WriteString(w, `{"message":"405 Method Not Allowed","status_code":405}`)
	})
	c := f.client(t)
	if err := c.DeleteCustomer(context.Background(), 1); !IsNotFound(err) {
		t.Fatalf("err = %v, want the 404", err)
	}
	if err := c.DeleteCustomer(context.Background(), 1); StatusCode(err) != 405 {
		t.Fatalf("err = %v", err)
	}
}

func TestListFollowsPagesWhateverThePageSize(t *testing.T) {
	const total, serverPageSize = 7, 3 // the server ignores max_per_page=200
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Query().Get("max_per_page") != "200" {
			t.Errorf("query %s", r.URL.RawQuery)
		}
		var page int
		_, _ = fmt.Sscan(r.URL.Query().Get("page"), &page)
		var items []string
		for id := (page-1)*serverPageSize + 1; id <= min(page*serverPageSize, total); id++ {
			items = append(items, fmt.Sprintf(`{"id":%d,"name":"c%d"}`, id, id))
		}
		_, _ = fmt.Fprintf(w, `{"customers":[%s],"num_results":%d,"paginates":true}`, strings.Join(items, ","), total)
	})
	got, err := f.client(t).ListCustomers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != total || got[6].ID != 7 || f.calls.Load() != 3 {
		t.Fatalf("got %d customers in %d requests", len(got), f.calls.Load())
	}
}

func TestListSinglePage(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		_, _ = io.WriteString(w, `{"customers":[{"id":1},{"id":2}]}`)
	})
	got, err := f.client(t).ListCustomers(context.Background())
	if err != nil || len(got) != 2 || f.calls.Load() != 1 {
		t.Fatalf("got %v %v in %d requests", got, err, f.calls.Load())
	}
}

func TestListCustomersFailFastRetriesOnlyThrottling(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusInternalServerError, http.StatusNotFound} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(status)
				_, _ = io.WriteString(w, `{"message":"busy","status_code":503}`)
			})
			start := time.Now()
			_, err := f.client(t).ListCustomersFailFast(context.Background())
			if StatusCode(err) != status || f.calls.Load() != 1 {
				t.Fatalf("err %v after %d requests", err, f.calls.Load())
			}
			// Honouring the Retry-After would take 30 s; not honouring it takes
			// two local requests, so 5 s holds on a machine 10x slower.
			if waited := time.Since(start); waited > 5*time.Second {
				t.Fatalf("waited %s: Retry-After must not hold up a call that is never retried", waited)
			}
		})
	}
	// A 429 is waited out as asked and the page sent again: the caller's
	// fallback (a GET per customer) would be throttled too.
	t.Run("429", func(t *testing.T) {
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if n <= 2 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = io.WriteString(w, `{"message":"Too Many Attempts.","status_code":429}`)
				return
			}
			_, _ = io.WriteString(w, `{"customers":[{"id":1}]}`)
		})
		start := time.Now()
		got, err := f.client(t).ListCustomersFailFast(context.Background())
		if err != nil || len(got) != 1 || f.calls.Load() != 3 {
			t.Fatalf("got %v %v in %d requests, want the third to answer", got, err, f.calls.Load())
		}
		if waited := time.Since(start); waited < 2*time.Second {
			t.Fatalf("waited %s, want at least the 2 s the API asked for", waited)
		}
	})
	// The failure that ListCustomersFailFast returns at once, ListCustomers retries.
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = io.WriteString(w, `{"customers":[{"id":1}]}`)
	})
	if got, err := f.client(t).ListCustomers(context.Background()); err != nil || len(got) != 1 || f.calls.Load() != 2 {
		t.Fatalf("got %v %v in %d requests", got, err, f.calls.Load())
	}
}

func TestListStopsOnShortPageWithoutTotal(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			_, _ = io.WriteString(w, `{"realms":[{"id":1},{"id":2}],"paginates":true}`)
		case 2:
			_, _ = io.WriteString(w, `{"realms":[{"id":3}],"paginates":true}`)
		default:
			t.Error("asked for a page after a short one")
		}
	})
	got, err := f.client(t).ListRealms(context.Background())
	if err != nil || len(got) != 3 {
		t.Fatalf("got %v %v", got, err)
	}
}

// Case 4 of issue 10: "paginates": true, a num_results larger than what comes
// back, and `page` ignored. The second page adds nothing new, so the list ends
// there, as an error (it cannot be whole), after two requests rather than
// thousands.
func TestListEndsWhenThePageIsIgnored(t *testing.T) {
	for _, total := range []string{`,"num_results":1000`, ""} {
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			_, _ = fmt.Fprintf(w, `{"customers":[{"id":1},{"id":2}],"paginates":true%s}`, total)
		})
		_, err := f.client(t).ListCustomers(context.Background())
		if err == nil || !strings.Contains(err.Error(), "the list is inconsistent") || !strings.Contains(err.Error(), "page 2 added no item") {
			t.Errorf("num_results %q: err = %v", total, err)
		}
		if f.calls.Load() != 2 {
			t.Errorf("num_results %q: %d list requests, want 2", total, f.calls.Load())
		}
	}
}

// A list whose pages keep adding items, but too slowly to ever reach
// num_results, ends after ceil(num_results / page size) + 1 pages.
func TestListEndsAfterTheCountsPagesPlusOne(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		var page int
		_, _ = fmt.Sscan(r.URL.Query().Get("page"), &page)
		// Each page repeats the last id of the one before: one new item a page.
		_, _ = fmt.Fprintf(w, `{"customers":[{"id":%d},{"id":%d}],"num_results":10,"paginates":true}`, page, page+1)
	})
	_, err := f.client(t).ListCustomers(context.Background())
	if err == nil || !strings.Contains(err.Error(), `"num_results": 10, but 6 pages returned 7 distinct items`) {
		t.Fatalf("err = %v", err)
	}
	if f.calls.Load() != 6 { // ceil(10/2) + 1
		t.Fatalf("%d list requests, want 6", f.calls.Load())
	}
}

func TestAnswerThatIsNotTheCustomerIsAnError(t *testing.T) {
	// A 2xx without the customer (an empty body, `null`, another customer)
	// must not become state with id 0 and no name.
	for _, body := range []string{``, `null`, `{}`, `{"id":916,"name":"Other"}`} {
		f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) { _, _ = io.WriteString(w, body) })
		c := f.client(t)
		if _, err := c.GetCustomer(context.Background(), 915); err == nil || !strings.Contains(err.Error(), "is not customer 915") {
			t.Errorf("GET answered %q: err = %v", body, err)
		}
		name := "x"
		if _, err := c.UpdateCustomer(context.Background(), 915, CustomerPatch{Name: &name}); err == nil {
			t.Errorf("PATCH answered %q: no error", body)
		}
	}
}
