package provider

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// Bulk refresh: Terraform refreshes every customer with its own Read, so a
// plan of 500 customers would cost 500 GETs. Once a provider process has read
// more than a threshold of customers one by one, it loads the customer list
// once (following its pages) and answers the remaining reads from it.
//
// What keeps it correct:
//   - The list lives in this provider process only (Terraform starts a fresh
//     one for every plan and apply) and answers reads for listMaxAge at most,
//     so a plan never sees data older than a refresh would.
//   - A customer missing from the list, or listed without everything state
//     needs, is read with its own GET: only a GET's 404 removes a customer
//     from state, never the list's word alone, and the 404 only with the
//     list's word too (see ConfirmGone).
//   - A customer this process creates, changes or deletes is always read with
//     its own GET afterwards.
//   - A list the API throttles (429) is waited for as the API asks and sent
//     again, and the reads waiting for it wait too: every GET that replaced
//     it would be throttled as well, so falling back would multiply the
//     requests, not save the wait. A list still throttled when the wait ends
//     fails the reads that waited for it (the next read loads it again);
//     none of them falls back to its own GET.
//   - A list that fails otherwise (a 5xx, a 404 for the path, an answer that
//     cannot be used) is not retried: every read falls back to its own GET
//     for the rest of the process, the documented cost when the list is
//     unusable, and the plan goes on.
const (
	// defaultBulkRefreshThreshold reads are answered by GET before the list is
	// loaded: a plan of a few customers costs a GET each, as without the list.
	defaultBulkRefreshThreshold = 5
	// listMaxAge is how long a loaded list answers reads; the next read after
	// that loads it again.
	listMaxAge = 30 * time.Second
)

// bulkRefresh answers the customer resource's reads for one provider process.
// It is safe for concurrent use: Terraform reads up to -parallelism customers
// at once, and all reads past the threshold share one list load.
type bulkRefresh struct {
	client    *cloudlx.Client
	log       *apiLogger
	threshold int // 0: never load the list
	now       func() time.Time

	mu      sync.Mutex
	reads   int
	load    *listLoad      // the latest list load (bulk or ConfirmGone's), in flight or done; nil before the first
	failed  bool           // a list load failed other than throttled: GET for the rest of the process
	written map[int64]bool // customers this process created, changed or deleted
}

// listLoad is one load of the customer list. Its fields are set before done
// is closed and never change afterwards.
type listLoad struct {
	done     chan struct{}
	byID     map[int64]*cloudlx.Customer // into the loaded slice: one copy of the list per process
	err      error
	loadedAt time.Time
	// throttled: the load failed because the API throttled it. Its last
	// answer was a 429 (the client waited as asked, as often as it may), or
	// the load's own time ran out, which only waiting out 429s takes (every
	// other failure of the list is answered at once). Reading each customer
	// with its own GET instead would send those GETs into the same throttle.
	throttled bool
}

func newBulkRefresh(client *cloudlx.Client, threshold int, log *apiLogger) *bulkRefresh {
	return &bulkRefresh{client: client, log: log, threshold: threshold, now: time.Now, written: map[int64]bool{}}
}

// Customer reads customer id: from the list when this process has loaded one
// that holds it, else with its own GET (a 404 is cloudlx.IsNotFound).
func (b *bulkRefresh) Customer(ctx context.Context, id int64) (*cloudlx.Customer, error) {
	c, err := b.fromList(ctx, id)
	if c != nil || err != nil {
		return c, err
	}
	return b.client.GetCustomer(ctx, id)
}

// Forget makes every later read of id use its own GET. Writes call it before
// they are sent, so a list loaded while a write is in flight (which may hold
// the customer as it was before) never answers for that customer.
func (b *bulkRefresh) Forget(id int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.written[id] = true
}

// fromList answers a read from the customer list: the customer, or an error
// (the read's own time ran out waiting for the list, or the list was still
// throttled), or neither: read it with its own GET.
func (b *bulkRefresh) fromList(ctx context.Context, id int64) (*cloudlx.Customer, error) {
	load := b.listFor(ctx, id)
	if load == nil {
		return nil, nil
	}
	select {
	case <-load.done:
	case <-ctx.Done():
		// This read gave up waiting: sending its GET now could only fail.
		return nil, fmt.Errorf("waiting for the customer list (%s) to answer this read: %w", b.client.URL(customersPath), ctx.Err())
	}
	if load.err != nil {
		if load.throttled {
			return nil, &listThrottled{listURL: b.client.URL(customersPath), err: load.err}
		}
		return nil, nil
	}
	b.mu.Lock()
	written := b.written[id]
	b.mu.Unlock()
	listed, ok := load.byID[id]
	if written || !ok || !listed.IsComplete() { // the one rule: cloudlx.Customer.Missing
		return nil, nil
	}
	c := *listed // the caller's own copy; the list stays as loaded
	return &c, nil
}

// listThrottled fails a read that waited for a customer list the API was
// still throttling when the wait ended.
type listThrottled struct {
	listURL string
	err     error
}

func (e *listThrottled) Error() string {
	return fmt.Sprintf("this read waited for the customer list (%s), which answers the reads of a plan of many customers "+
		"with one request, and CloudLX was still throttling it: %v. Run the plan again later, or with a lower "+
		"-parallelism; reading each customer with its own request would only send more requests into the throttle",
		e.listURL, e.err)
}

func (e *listThrottled) Unwrap() error { return e.err }

// listFor counts a read and returns the list load that should answer it,
// starting one when this read is past the threshold and no usable list
// exists. nil means: read with a GET.
func (b *bulkRefresh) listFor(ctx context.Context, id int64) *listLoad {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reads++
	if b.threshold <= 0 || b.reads <= b.threshold || b.failed || b.written[id] {
		return nil
	}
	if b.load != nil {
		if !loaded(b.load) {
			return b.load // in flight: wait for it rather than load another
		}
		if b.load.err == nil && b.now().Sub(b.load.loadedAt) <= listMaxAge {
			return b.load
		}
	}
	b.load = b.startLoad(ctx)
	return b.load
}

// startLoad loads the list in the background. The load is detached from the
// read that started it: every read past the threshold waits for it, and each
// stops waiting when its own context ends. b.mu is held.
func (b *bulkRefresh) startLoad(ctx context.Context) *listLoad {
	l := &listLoad{done: make(chan struct{})}
	loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), defaultReadTimeout)
	reads := b.reads
	go func() {
		defer cancel()
		customers, err := b.client.ListCustomersFailFast(loadCtx)
		byID := indexByID(customers)
		b.mu.Lock()
		l.byID, l.err, l.loadedAt = byID, err, b.now()
		l.throttled = err != nil && (cloudlx.StatusCode(err) == http.StatusTooManyRequests || loadCtx.Err() != nil)
		if err != nil && !l.throttled {
			b.failed = true
		}
		b.mu.Unlock()
		close(l.done)
		switch {
		case l.throttled:
			b.log.Warn(ctx, "the CloudLX customer list was still throttled when the wait ended: the reads waiting for it fail",
				map[string]any{"error": err})
			return
		case err != nil:
			b.log.Warn(ctx, "loading the CloudLX customer list failed: reading each customer with its own request instead",
				map[string]any{"error": err})
			return
		}
		b.log.Debug(ctx, "loaded the CloudLX customer list to answer the remaining reads",
			map[string]any{"customers": len(customers), "reads_so_far": reads})
	}()
	return l
}

// ConfirmGone decides what the 404 of customer id's own route means. Only the
// API's own answer that this customer does not exist may remove it from state
// (or count a DELETE as done): the 404, confirmed by a customer list that
// answered 200 on every page and does not hold the id. A 404 says only that
// the route found nothing; a proxy, a gateway or a wrong endpoint answers one
// for a customer that exists, and believing it loses the customer from state
// and duplicates it on the next apply.
//
// A list this process already loaded (bulk refresh, or an earlier
// confirmation) confirms without a request when it lacks the id; one that
// still holds it may predate the deletion, so the list is loaded again, and
// takes the older list's place. The extra request is spent only here, after
// a 404. ConfirmGone returns nil when
// the customer is gone, else a *notFoundUnconfirmed saying why not.
func (b *bulkRefresh) ConfirmGone(ctx context.Context, id int64, notFound error) error {
	b.awaitLoad(ctx) // a bulk load in flight may confirm it without a request of our own
	if b.loadedWithout(id) {
		return nil
	}
	customers, err := b.client.ListCustomers(ctx)
	if err != nil {
		return &notFoundUnconfirmed{id: id, notFound: notFound, listURL: b.client.URL(customersPath), listErr: err}
	}
	l := &listLoad{done: make(chan struct{}), byID: indexByID(customers), loadedAt: b.now()}
	close(l.done)
	b.mu.Lock()
	if b.load == nil || loaded(b.load) {
		// The newer list takes the older one's place: it confirms later 404s
		// and answers bulk reads, and the process holds one list, not two.
		b.load = l
	}
	b.mu.Unlock()
	if _, listed := l.byID[id]; listed {
		return &notFoundUnconfirmed{id: id, notFound: notFound, listURL: b.client.URL(customersPath)}
	}
	return nil
}

// indexByID maps each customer's id to it, in place: the list is held once.
func indexByID(customers []cloudlx.Customer) map[int64]*cloudlx.Customer {
	byID := make(map[int64]*cloudlx.Customer, len(customers))
	for i := range customers {
		byID[customers[i].ID] = &customers[i]
	}
	return byID
}

// awaitLoad waits for the bulk-refresh list load in flight, if any.
func (b *bulkRefresh) awaitLoad(ctx context.Context) {
	b.mu.Lock()
	l := b.load
	b.mu.Unlock()
	if l == nil {
		return
	}
	select {
	case <-l.done:
	case <-ctx.Done():
	}
}

// customersPath is the customer list's API path, for messages.
const customersPath = "/api/customers"

// loadedWithout reports whether a list this process loaded, recently enough
// to answer reads, lacks customer id. A customer this process wrote may be
// newer than any list it loaded, so it is never confirmed from one.
func (b *bulkRefresh) loadedWithout(id int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.written[id] {
		return false
	}
	l := b.load
	if l == nil || !loaded(l) {
		return false // none yet, or in flight
	}
	_, listed := l.byID[id]
	return l.err == nil && !listed && b.now().Sub(l.loadedAt) <= listMaxAge
}

// loaded reports whether list load l has finished (successfully or not).
func loaded(l *listLoad) bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// notFoundUnconfirmed is a 404 the customer list did not confirm: the list
// could not be read (listErr), or it still holds the customer. It does not
// unwrap to the 404, so nothing can take it for "not found".
type notFoundUnconfirmed struct {
	id       int64
	notFound error  // the route's 404
	listURL  string // the list that was asked
	listErr  error  // nil: the list answered and holds the customer
}

func (e *notFoundUnconfirmed) Error() string {
	if e.listErr != nil {
		return fmt.Sprintf("%v; the customer list (%s) that must confirm customer %d is gone could not be read: %v",
			e.notFound, e.listURL, e.id, e.listErr)
	}
	return fmt.Sprintf("%v; but the customer list (%s) still holds customer %d", e.notFound, e.listURL, e.id)
}

// List returns the whole customer list, by id, for a caller that needs every
// customer (the duplicate-name check of a plan that creates one, in
// customer_lifecycle.go): the list this process loaded within listMaxAge, or
// the load in flight, else a new load, which then answers reads past the
// threshold too. A plan that refreshes many customers and creates one reads
// the list once. The map is shared: read it, never change it.
func (b *bulkRefresh) List(ctx context.Context) (map[int64]*cloudlx.Customer, error) {
	b.mu.Lock()
	l := b.load
	if l == nil || (loaded(l) && (l.err != nil || b.now().Sub(l.loadedAt) > listMaxAge)) {
		l = b.startLoad(ctx)
		b.load = l
	}
	b.mu.Unlock()
	select {
	case <-l.done:
		return l.byID, l.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
