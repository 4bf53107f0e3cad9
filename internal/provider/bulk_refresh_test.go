package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// refreshEnv is an emulator holding customers, and a bulkRefresh reading them
// through the real client. Handlers can be wrapped around the emulator to
// misbehave in ways its options cannot.
type refreshEnv struct {
	t     *testing.T
	emu   *emulator.Server
	ids   []int64
	b     *bulkRefresh
	lists atomic.Int32 // GET /api/customers requests that reached the server, answered or not
}

const (
	routeList = "GET /api/customers"
	routeGet  = "GET /api/customers/{id}"
)

func newRefreshEnv(t *testing.T, opts emulator.Options, threshold, customers int, wrap func(http.Handler) http.Handler) *refreshEnv {
	t.Helper()
	e := &refreshEnv{t: t}
	env := newWrappedTestEnv(t, opts, func(emu *emulator.Server) http.Handler {
		var h http.Handler = emu
		if wrap != nil {
			h = wrap(h)
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Path == "/api/customers" {
				e.lists.Add(1)
			}
			h.ServeHTTP(w, r)
		})
	})
	e.emu = env.emu
	for i := range customers {
		c, err := e.emu.CreateCustomer(emulator.CustomerInput{
			Name: fmt.Sprintf("Customer %d", i), CurrencyISO: "EUR", CountryISO: "DE",
			Realms: []int64{2, 7}, ShownSubRealms: []int64{313, 328}, EnabledSubRealms: []int64{313},
		})
		if err != nil {
			t.Fatal(err)
		}
		e.ids = append(e.ids, c.ID)
	}
	client, err := cloudlx.New(cloudlx.Config{
		Endpoint: env.url, ClientID: emulator.DefaultClientID, ClientSecret: emulator.DefaultClientSecret,
		MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond,
		// Go's transport silently resends a GET whose kept-alive connection
		// was dropped, as often as idle connections allow; one connection per
		// request makes every request the tests count one the client sent.
		Transport: &http.Transport{DisableKeepAlives: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.b = newBulkRefresh(client, threshold, newAPILogger(client.Redactor()))
	return e
}

// readsCounted is how many reads the bulk refresh has counted so far. A read
// past the threshold is counted as it joins the list load, before it waits.
func (e *refreshEnv) readsCounted() int {
	e.b.mu.Lock()
	defer e.b.mu.Unlock()
	return e.b.reads
}

// eventually waits until cond holds, and reports whether it did. It waits for
// an event, not for time to pass: the minute is only there to turn a hang
// into a failure.
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// read reads customer id, failing the test on any error.
func (e *refreshEnv) read(id int64) *cloudlx.Customer {
	e.t.Helper()
	c, err := e.b.Customer(context.Background(), id)
	if err != nil {
		e.t.Fatalf("reading %d: %v", id, err)
	}
	return c
}

// readWorkers is how many reads readAll runs at once: Terraform's default -parallelism.
const readWorkers = 10

// readAll reads every customer with readWorkers workers, and returns what each read answered.
func (e *refreshEnv) readAll() map[int64]*cloudlx.Customer {
	e.t.Helper()
	var mu sync.Mutex
	got := map[int64]*cloudlx.Customer{}
	ids := make(chan int64)
	var wg sync.WaitGroup
	for range readWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				c, err := e.b.Customer(context.Background(), id)
				if err != nil {
					e.t.Errorf("reading %d: %v", id, err)
					continue
				}
				mu.Lock()
				got[id] = c
				mu.Unlock()
			}
		}()
	}
	for _, id := range e.ids {
		ids <- id
	}
	close(ids)
	wg.Wait()
	return got
}

// expectCounts checks the GETs of single customers and the list requests sent so far.
func (e *refreshEnv) expectCounts(gets, lists int) {
	e.t.Helper()
	if got := e.emu.Count(routeGet); got != gets {
		e.t.Errorf("%d GETs of a customer, want %d", got, gets)
	}
	if got := int(e.lists.Load()); got != lists {
		e.t.Errorf("%d list requests, want %d", got, lists)
	}
}

func TestBulkRefresh_upToTheThresholdEveryReadIsAGET(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 3, 3, nil)
	e.readAll()
	e.expectCounts(3, 0)
}

func TestBulkRefresh_zeroThresholdNeverLoadsTheList(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 0, 25, nil)
	e.readAll()
	e.expectCounts(25, 0)
}

func TestBulkRefresh_concurrentReadsShareOneListLoadAndGetWhatGETWould(t *testing.T) {
	// The list's first page is held until every worker's read is waiting for
	// it (the 2 GETs under the threshold, then one read per worker), so the
	// reads past the threshold certainly arrive while the list is loading;
	// the small pages make the load follow pagination.
	const threshold = 2
	var e *refreshEnv
	untilAllWait := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/customers" && r.URL.Query().Get("page") == "1" &&
				!eventually(func() bool { return e.readsCounted() >= threshold+readWorkers }) {
				t.Errorf("only %d reads counted while the list was held, want %d", e.readsCounted(), threshold+readWorkers)
			}
			next.ServeHTTP(w, r)
		})
	}
	e = newRefreshEnv(t, emulator.Options{PageSize: 7, Quirks: true, Seed: 3}, threshold, 40, untilAllWait)
	got := e.readAll()
	e.expectCounts(2, 6) // 40 customers in pages of 7

	if len(got) != len(e.ids) {
		t.Fatalf("%d answers for %d customers", len(got), len(e.ids))
	}
	for _, id := range e.ids {
		direct, err := e.b.client.GetCustomer(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !sameCustomer(got[id], direct) {
			t.Errorf("customer %d: refreshed as %+v, GET answers %+v", id, got[id], direct)
		}
	}
}

// sameCustomer compares what state is built from: with Quirks the API lists
// realms in any order, which state sorts away.
func sameCustomer(a, b *cloudlx.Customer) bool {
	var ma, mb customerAPIModel
	ma.setFromAPI(a)
	mb.setFromAPI(b)
	va, vb := reflect.ValueOf(ma), reflect.ValueOf(mb)
	for i := range va.NumField() {
		if !va.Field(i).Interface().(attr.Value).Equal(vb.Field(i).Interface().(attr.Value)) {
			return false
		}
	}
	return true
}

func TestBulkRefresh_customerMissingFromTheListIsReadWithItsOwnGET(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 1, 3, nil)
	e.read(e.ids[0]) // a GET
	e.emu.DeleteCustomer(e.ids[1])
	late, err := e.emu.CreateCustomer(emulator.CustomerInput{Name: "Late", CurrencyISO: "USD", CountryISO: "US", Realms: []int64{1}})
	if err != nil {
		t.Fatal(err)
	}
	if c := e.read(e.ids[2]); c.Name != "Customer 2" { // from the list
		t.Fatalf("read %+v", c)
	}
	e.expectCounts(1, 1)

	// Deleted before the list was loaded: the list does not hold it, so its
	// own GET says so; the list's silence alone never removes it.
	if _, err := e.b.Customer(context.Background(), e.ids[1]); !cloudlx.IsNotFound(err) {
		t.Fatalf("reading a deleted customer: %v", err)
	}
	e.expectCounts(2, 1)

	// Created after the list was loaded: its own GET finds it.
	afterList, err := e.emu.CreateCustomer(emulator.CustomerInput{Name: "After the list", CurrencyISO: "USD", CountryISO: "US", Realms: []int64{1}})
	if err != nil {
		t.Fatal(err)
	}
	if c := e.read(afterList.ID); c.Name != "After the list" {
		t.Fatalf("read %+v", c)
	}
	if c := e.read(late.ID); c.Name != "Late" { // in the list
		t.Fatalf("read %+v", c)
	}
	e.expectCounts(3, 1)
}

func TestBulkRefresh_aWriteMakesLaterReadsOfThatCustomerUseGET(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 1, 3, nil)
	e.read(e.ids[0])
	e.read(e.ids[1]) // loads the list
	e.expectCounts(1, 1)

	// A write through this process: the list holds the old name.
	e.b.Forget(e.ids[1])
	renamed := "Renamed by this process"
	if _, err := e.b.client.UpdateCustomer(context.Background(), e.ids[1], cloudlx.CustomerPatch{Name: &renamed}); err != nil {
		t.Fatal(err)
	}
	if c := e.read(e.ids[1]); c.Name != renamed {
		t.Fatalf("after a write, read %q", c.Name)
	}
	e.expectCounts(2, 1)

	// Control: the same kind of change to a customer this process did not
	// write is answered by the list (it was loaded moments ago), which is what
	// Forget is for.
	if _, err := e.emu.UpdateCustomer(e.ids[2], func(in *emulator.CustomerInput) { in.Name = "changed" }); err != nil {
		t.Fatal(err)
	}
	if c := e.read(e.ids[2]); c.Name != "Customer 2" {
		t.Fatalf("read %q, want the listed name", c.Name)
	}
	e.expectCounts(2, 1)
}

func TestBulkRefresh_aForgottenCustomerIsNeverAnsweredByAListLoadedAfterwards(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 1, 2, nil)
	e.b.Forget(e.ids[1])
	e.read(e.ids[0])
	e.read(e.ids[1])
	e.expectCounts(2, 0) // reading a forgotten customer does not load the list
}

func TestBulkRefresh_aFailingListFallsBackToGETsAndIsNotTriedAgain(t *testing.T) {
	page2Fails := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/customers" && r.URL.Query().Get("page") == "2" {
				http.Error(w, `{"message":"Server Error","status_code":500}`, http.StatusInternalServerError)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	cases := []struct {
		name       string
		opts       emulator.Options
		fault      *emulator.Fault
		wrap       func(http.Handler) http.Handler
		listsTried int
	}{
		{name: "server error", fault: &emulator.Fault{Status: 500}, listsTried: 1},
		{name: "unavailable", fault: &emulator.Fault{Status: 503, RetryAfter: "60"}, listsTried: 1},
		{name: "dropped connection", fault: &emulator.Fault{Drop: true}, listsTried: 1},
		{name: "second page fails", opts: emulator.Options{PageSize: 2}, wrap: page2Fails, listsTried: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newRefreshEnv(t, tc.opts, 1, 6, tc.wrap)
			if tc.fault != nil {
				// Twice, so a retry by the client would fail the count below
				// rather than succeed.
				e.emu.InjectFault(routeList, *tc.fault, 2)
			}
			start := time.Now()
			got := e.readAll()
			if len(got) != 6 {
				t.Fatalf("%d of 6 reads answered", len(got))
			}
			// The client never retries the list (a 429 aside: see below).
			if lists := int(e.lists.Load()); lists != tc.listsTried {
				t.Errorf("%d list requests, want %d", lists, tc.listsTried)
			}
			if gets := e.emu.Count(routeGet); gets != 6 {
				t.Errorf("%d GETs, want one per customer", gets)
			}
			// Waiting for the list's Retry-After would take 60 s; falling back
			// takes 7 local requests, so 10 s holds on a machine 10x slower.
			if waited := time.Since(start); waited > 10*time.Second {
				t.Errorf("took %s: a throttled list must not be waited for", waited)
			}
		})
	}
}

// Throttling costs waits, not requests: a list answered 429 is sent again
// once the API's Retry-After has passed, the reads wait for it, and none is
// replaced by a GET of its own (each would be throttled too).
func TestBulkRefresh_aThrottledListIsWaitedForAndNeverReplacedByGETs(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 1, 6, nil)
	e.emu.InjectFault(routeList, emulator.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"}, 2)
	start := time.Now()
	if got := e.readAll(); len(got) != 6 {
		t.Fatalf("%d of 6 reads answered", len(got))
	}
	// One GET below the threshold, then the list: throttled twice, answered the third time.
	e.expectCounts(1, 3)
	if waited := time.Since(start); waited < 2*time.Second {
		t.Errorf("took %s: the list's two Retry-After: 1 were not waited for", waited)
	}
}

// A list still throttled when the client stops waiting fails the reads that
// waited for it, with what to do; none of them falls back to a GET.
func TestBulkRefresh_aListStillThrottledFailsItsReadsWithoutGETs(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 1, 4, nil)
	e.emu.InjectFault(routeList, emulator.Fault{Status: http.StatusTooManyRequests, RetryAfter: "0"}, 1000)
	e.read(e.ids[0])
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.b.Customer(context.Background(), e.ids[i+1])
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if cloudlx.StatusCode(err) != http.StatusTooManyRequests || !strings.Contains(err.Error(), "still throttling it") ||
			!strings.Contains(err.Error(), "-parallelism") {
			t.Errorf("read %d: %v", i+1, err)
		}
	}
	if got := e.emu.Count(routeGet); got != 1 {
		t.Errorf("%d GETs, want only the one below the threshold", got)
	}
	// One list load, waited out as often as the client may: no second load
	// started by the reads that waited.
	lists := int(e.lists.Load())
	if lists < 2 {
		t.Errorf("%d list requests: the 429 was not retried", lists)
	}
	// The next read loads the list again (here throttled again).
	if _, err := e.b.Customer(context.Background(), e.ids[1]); cloudlx.StatusCode(err) != http.StatusTooManyRequests {
		t.Errorf("a later read: %v", err)
	}
	if got := int(e.lists.Load()); got != 2*lists {
		t.Errorf("%d list requests after a later read, want %d (one more load)", got, 2*lists)
	}
	if got := e.emu.Count(routeGet); got != 1 {
		t.Errorf("%d GETs, want 1", got)
	}
}

func TestBulkRefresh_eachReadStopsWaitingWhenItsOwnContextEnds(t *testing.T) {
	release := make(chan struct{})
	holdList := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/customers" {
				<-release
			}
			next.ServeHTTP(w, r)
		})
	}
	e := newRefreshEnv(t, emulator.Options{}, 1, 3, holdList)
	e.read(e.ids[0])

	// The read that starts the load gives up while the list is held.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := e.b.Customer(ctx, e.ids[1]); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a read whose context ended returned %v", err)
	}
	// Another read waits for the same load, which goes on without the first.
	done := make(chan *cloudlx.Customer)
	go func() {
		c, err := e.b.Customer(context.Background(), e.ids[2])
		if err != nil {
			t.Error(err)
		}
		done <- c
	}()
	// The third read counted has joined the load that is still held.
	if !eventually(func() bool { return e.readsCounted() == 3 }) {
		t.Fatalf("%d reads counted, want 3", e.readsCounted())
	}
	close(release)
	if c := <-done; c == nil || c.Name != "Customer 2" {
		t.Fatalf("read %+v", c)
	}
	e.expectCounts(1, 1)
}

func TestBulkRefresh_anOldListIsLoadedAgain(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 1, 3, nil)
	now := time.Now()
	e.b.now = func() time.Time { return now }
	e.read(e.ids[0])
	e.read(e.ids[1])
	e.expectCounts(1, 1)

	if _, err := e.emu.UpdateCustomer(e.ids[2], func(in *emulator.CustomerInput) { in.Name = "changed" }); err != nil {
		t.Fatal(err)
	}
	now = now.Add(listMaxAge + time.Second)
	if c := e.read(e.ids[2]); c.Name != "changed" {
		t.Fatalf("read %q from a list older than %s", c.Name, listMaxAge)
	}
	e.expectCounts(1, 2)
}

func TestBulkRefresh_listEntriesWithoutEverythingStateNeedsAreNotUsed(t *testing.T) {
	// A list that abbreviates its entries (no sub_realms, realms without ids)
	// must not turn into "this customer has no sub-realms".
	abbreviate := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/api/customers" || r.Method != http.MethodGet {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Error(err)
			}
			for i, c := range doc["customers"].([]any) {
				entry := c.(map[string]any)
				if i%2 == 0 {
					delete(entry, "sub_realms")
				} else {
					for _, realm := range entry["realms"].([]any) {
						delete(realm.(map[string]any), "id")
					}
				}
			}
			var buf bytes.Buffer
			_ = json.NewEncoder(&buf).Encode(doc)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(buf.Bytes())
		})
	}
	e := newRefreshEnv(t, emulator.Options{}, 1, 4, abbreviate)
	for _, id := range e.ids {
		if c := e.read(id); len(c.SubRealms) != 2 || !c.IsComplete() {
			t.Fatalf("customer %d read as %+v", id, c)
		}
	}
	e.expectCounts(4, 1)
}

// confirm is what Read does with a read's answer: a 404 goes to ConfirmGone.
// It returns the read's error, or ConfirmGone's (nil: the customer is gone).
func (e *refreshEnv) confirm(id int64) (gone bool, err error) {
	e.t.Helper()
	_, err = e.b.Customer(context.Background(), id)
	if !cloudlx.IsNotFound(err) {
		return false, err
	}
	err = e.b.ConfirmGone(context.Background(), id, err)
	return err == nil, err
}

func TestConfirmGone_aDeletedCustomerIsConfirmedByOneListRequest(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 5, 2, nil)
	e.emu.DeleteCustomer(e.ids[0])
	e.emu.DeleteCustomer(e.ids[1])
	if gone, err := e.confirm(e.ids[0]); !gone {
		t.Fatalf("a customer deleted in the portal was not confirmed gone: %v", err)
	}
	e.expectCounts(1, 1) // its GET (the 404), then the list
	// The list it loaded lacks the other one too: it confirms without a request.
	if gone, err := e.confirm(e.ids[1]); !gone || err != nil {
		t.Fatalf("err = %v", err)
	}
	e.expectCounts(2, 1)
}

func TestConfirmGone_aGateway404ForAListedCustomerIsAnError(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{GatewayNotFoundRoutes: []string{routeGet}}, 5, 1, nil)
	gone, err := e.confirm(e.ids[0])
	var unconfirmed *notFoundUnconfirmed
	if gone || !errors.As(err, &unconfirmed) || unconfirmed.listErr != nil || cloudlx.IsNotFound(err) {
		t.Fatalf("gone %v, err %v: want the list's contradiction", gone, err)
	}
	var d diag.Diagnostics
	addAPIError(&d, "Could not read CloudLX customer", err)
	detail := d[0].Detail()
	for _, want := range []string{"/api/customers/" + fmt.Sprint(e.ids[0]) + ": HTTP 404", "still holds customer",
		"HTML page", "stays in Terraform state", "Check endpoint"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
	e.expectCounts(1, 1)
}

// A list loaded before the deletion still holds the customer: it is loaded
// again before deciding, and the fresh one confirms.
func TestConfirmGone_aLoadedListThatHoldsTheCustomerIsLoadedAgain(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 1, 3, nil)
	e.read(e.ids[0])
	e.read(e.ids[1]) // loads the list
	e.expectCounts(1, 1)
	e.emu.DeleteCustomer(e.ids[2])
	// The loaded list answers the read; only a GET can see the 404.
	e.b.Forget(e.ids[2])
	if gone, err := e.confirm(e.ids[2]); !gone {
		t.Fatalf("err = %v", err)
	}
	e.expectCounts(2, 2)
}

// The list ConfirmGone loads is the one list the process holds: it takes the
// older list's place, and the reads past the threshold are answered from it
// rather than from a second list (issue 11: one copy of the list per process).
func TestConfirmGone_itsListIsTheOneTheProcessHoldsAndAnswersLaterReads(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{}, 2, 4, nil)
	e.read(e.ids[0])
	e.emu.DeleteCustomer(e.ids[1])
	if gone, err := e.confirm(e.ids[1]); !gone {
		t.Fatalf("err = %v", err)
	}
	e.expectCounts(2, 1) // two GETs (the second a 404), and the confirming list
	for _, id := range e.ids[2:] {
		if c := e.read(id); c.ID != id || !c.IsComplete() {
			t.Fatalf("customer %d read as %+v", id, c)
		}
	}
	e.expectCounts(2, 1) // past the threshold: answered from the confirming list
	e.b.mu.Lock()
	defer e.b.mu.Unlock()
	if _, listed := e.b.load.byID[e.ids[1]]; listed || len(e.b.load.byID) != 3 {
		t.Errorf("the process holds a list of %d customers (deleted one listed: %v), want the confirming list of 3", len(e.b.load.byID), listed)
	}
}

// A customer this process wrote is never confirmed gone by a list loaded
// before the write: the list is loaded again.
func TestConfirmGone_aWrittenCustomerIsNeverConfirmedByAnOlderList(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{GatewayNotFoundRoutes: []string{"DELETE /api/customers/{id}"}}, 1, 3, nil)
	e.read(e.ids[0])
	e.read(e.ids[1]) // loads the list, which holds every customer
	late, err := e.emu.CreateCustomer(emulator.CustomerInput{Name: "Late", CurrencyISO: "USD", CountryISO: "US", Realms: []int64{1}})
	if err != nil {
		t.Fatal(err)
	}
	e.b.Forget(late.ID) // as if this process created it
	delErr := e.b.client.DeleteCustomer(context.Background(), late.ID)
	if !cloudlx.IsNotFound(delErr) {
		t.Fatalf("DELETE: %v", delErr)
	}
	if err := e.b.ConfirmGone(context.Background(), late.ID, delErr); err == nil {
		t.Fatal("a gateway's 404 for a DELETE counted as done, from a list older than the customer")
	}
	e.expectCounts(1, 2)
}

func TestConfirmGone_anUnreadableListIsAnError(t *testing.T) {
	e := newRefreshEnv(t, emulator.Options{GatewayNotFoundRoutes: []string{routeGet, routeList}}, 5, 1, nil)
	gone, err := e.confirm(e.ids[0])
	var unconfirmed *notFoundUnconfirmed
	if gone || !errors.As(err, &unconfirmed) || unconfirmed.listErr == nil {
		t.Fatalf("gone %v, err %v: want the list's failure", gone, err)
	}
	var d diag.Diagnostics
	addAPIError(&d, "Could not read CloudLX customer", err)
	if detail := d[0].Detail(); !strings.Contains(detail, "could not be read") || !strings.Contains(detail, "GET "+e.b.client.URL("/api/customers")+": HTTP 404") {
		t.Errorf("detail:\n%s", detail)
	}
}
