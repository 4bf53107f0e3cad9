package soak

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/emulator"
)

// bulkRefreshThreshold is the provider's default bulk_refresh_threshold: the
// reads of a process answered by one GET each before a list answers the rest.
const bulkRefreshThreshold = 5

// listMaxAge is how long a loaded list answers a process's reads (the
// provider's listMaxAge): a slower command may load it again.
const listMaxAge = 30 * time.Second

// budget is what one CLI command may cost the API (the README's table "What
// each operation costs the API"), as upper bounds.
type budget struct {
	reads    int // customer reads the refresh walk does (instances in state, plus imports)
	missing  int // of them, customers the API no longer holds (each may cost a confirming list)
	apiCount int // customers the API holds, for the pages of a list
	creates  int
	updates  int // updates with a change the API sees (requestFree attributes alone send nothing)
	deletes  int
	walks    int // provider processes that call the API, each fetching one token
	// planCreates are creates a plan-only command plans: with the duplicate
	// guard, a plan that creates may read the customer list once per process.
	planCreates int
	// lostCreates are creates whose answer is lost: each is resolved by one
	// list read (and may be sent again when the list says it never landed).
	lostCreates int
	// realmsCatalogue and subRealmsCatalogue: the command plans a create or a
	// change of realms (of a sub-realm set), whose ids the plan checks against
	// the catalogue, read at most once per process (issue 22's plan checks).
	realmsCatalogue, subRealmsCatalogue bool
	// strictThrottle: a list answered 429 is waited for and retried, so it
	// never excuses one GET per customer (issue 22's throttle-fanout switch).
	strictThrottle bool
}

// refreshBudget is the cost of a walk that refreshes every instance in state
// (plus extraReads imports), in walks provider processes.
func (h *harness) refreshBudget(extraReads, walks int) budget {
	st, api := h.state(), h.api()
	b := budget{reads: len(st) + extraReads, apiCount: len(api), walks: walks}
	for _, in := range st {
		if _, ok := api[in.ID]; !ok {
			b.missing++
		}
	}
	return b
}

// plans records what the plan of the oracle's changes may read, for a command
// that plans them and applies nothing: the duplicate guard's list for a
// create, the catalogues for new realm and sub-realm ids.
func (b *budget) plans(changes map[string]change) {
	for _, c := range changes {
		if c.Action == "create" {
			b.planCreates++
		}
		b.catalogues(c)
	}
}

// catalogues records the catalogues the plan of c may read.
func (b *budget) catalogues(c change) {
	b.realmsCatalogue = b.realmsCatalogue || c.Action == "create" || slices.Contains(c.Attrs, "realms")
	b.subRealmsCatalogue = b.subRealmsCatalogue || c.Action == "create" ||
		slices.Contains(c.Attrs, "shown_sub_realms") || slices.Contains(c.Attrs, "enabled_sub_realms")
}

// addWrites adds the writes of the oracle's changes to b (and what their
// plan may read).
func (b *budget) addWrites(changes map[string]change) {
	for _, c := range changes {
		b.catalogues(c)
		switch c.Action {
		case "create":
			b.creates++
		case "delete":
			b.deletes++
		case "update":
			if slices.ContainsFunc(c.Attrs, func(a string) bool { return !slices.Contains(requestFree, a) }) {
				b.updates++
			}
		}
	}
}

// check compares the requests one command sent with b. Requests a fault
// answered (throttled, failed, dropped, the gateway's 404) and 401s are the
// retries' business and not counted; what the API answered must fit.
func (b budget) check(reqs []emulator.Request, f faultState, took time.Duration) []string {
	count := map[string]int{}
	unauthorized, listFaulted, gateway404s := 0, false, 0
	for _, r := range reqs {
		switch {
		case r.Fault != "":
			if r.Route == "GET /api/customers" && r.Fault != emulator.FaultThrottled {
				// A throttled list is waited out and sent again, never
				// replaced by GETs: only its other failures lift the budget.
				listFaulted = true
			}
			if r.Fault == emulator.FaultGatewayNotFound {
				gateway404s++ // a 404 the provider must check with a list before it believes it
			}
		case r.Status == http.StatusUnauthorized:
			unauthorized++
		default:
			count[r.Route]++
		}
	}
	if b.strictThrottle && !listFailedBeyond429(reqs) {
		listFaulted = false // a throttled list is waited out and sent again, never replaced by GETs
	}
	pages := 1
	if f.Pages {
		pages = (b.apiCount+b.creates+pageSize-1)/pageSize + 1
	}
	lists := b.missing + b.deletes + gateway404s + int(took/listMaxAge) + b.lostCreates
	if b.creates+b.planCreates > 0 {
		lists += b.walks // the duplicate guard's list, once per process (when the refresh loaded none)
	}
	if b.reads > bulkRefreshThreshold {
		lists++
	}
	gets := min(b.reads, bulkRefreshThreshold+b.missing)
	if listFaulted || f.ShortToken || unauthorized > 0 {
		gets = b.reads // a list that failed leaves every read to its own GET
	}
	// A catalogue (six realms, six sub-realms in the emulator) is read at most
	// once per provider process, by plans that create customers or change
	// their realm sets.
	cataloguePages := 1
	if f.Pages {
		cataloguePages = (len(emulator.Realms())+pageSize-1)/pageSize + 1
	}
	limit := map[string]int{
		"GET /api/realms":            b.walks * cataloguePages,
		"GET /api/sub-realms":        b.walks * cataloguePages,
		"GET /api/customers/{id}":    gets,
		"GET /api/customers":         lists * pages,
		"POST /api/customers":        b.creates + b.lostCreates,
		"PATCH /api/customers/{id}":  b.updates,
		"DELETE /api/customers/{id}": b.deletes,
	}
	// The plan checks read each catalogue, every page of it, at most once per
	// provider process, and only in plans that create a customer or change
	// its realm (sub-realm) ids.
	catalogueReads := func(on bool, n int) int {
		if !on {
			return 0
		}
		if f.Pages {
			return b.walks * ((n+pageSize-1)/pageSize + 1)
		}
		return b.walks
	}
	limit["GET /api/realms"] = catalogueReads(b.realmsCatalogue, len(emulator.Realms()))
	limit["GET /api/sub-realms"] = catalogueReads(b.subRealmsCatalogue, len(emulator.SubRealms()))
	tokens := count["POST /api/oauth2/access-token"] + count["POST /api/oauth2/refresh-token"]
	delete(count, "POST /api/oauth2/access-token")
	delete(count, "POST /api/oauth2/refresh-token")
	var problems []string
	if !f.ShortToken && tokens > b.walks+unauthorized {
		problems = append(problems, fmt.Sprintf("%d token requests, at most %d (one per provider process that calls the API, plus one per 401)",
			tokens, b.walks+unauthorized))
	}
	routes := make([]string, 0, len(count))
	for r := range count {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		if count[r] > limit[r] {
			problems = append(problems, fmt.Sprintf("%d × %s, at most %d (reads %d, missing %d, creates %d, updates %d, deletes %d)",
				count[r], r, limit[r], b.reads, b.missing, b.creates, b.updates, b.deletes))
		}
	}
	return problems
}

// listFailedBeyond429 reports whether a fault answered the customer list with
// something other than 429 (a 5xx, a dropped connection, the gateway's 404).
func listFailedBeyond429(reqs []emulator.Request) bool {
	return slices.ContainsFunc(reqs, func(r emulator.Request) bool {
		return r.Route == "GET /api/customers" && r.Fault != "" && r.Status != http.StatusTooManyRequests
	})
}

func jsonUnmarshal(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	return dec.Decode(v)
}
