package soak

import (
	"encoding/json"
	"fmt"
	"net/http"
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
	updates  int // updates with a change the API sees (admin_user alone sends nothing)
	deletes  int
	walks    int // provider processes that call the API, each fetching one token
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

// addWrites adds the writes of the oracle's changes to b.
func (b *budget) addWrites(changes map[string]change) {
	for _, c := range changes {
		switch c.Action {
		case "create":
			b.creates++
		case "delete":
			b.deletes++
		case "update":
			if len(c.Attrs) > 1 || len(c.Attrs) == 1 && c.Attrs[0] != "admin_user" {
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
			if r.Route == "GET /api/customers" {
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
	pages := 1
	if f.Pages {
		pages = (b.apiCount+b.creates+pageSize-1)/pageSize + 1
	}
	lists := b.missing + b.deletes + gateway404s + int(took/listMaxAge)
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
		"POST /api/customers":        b.creates,
		"PATCH /api/customers/{id}":  b.updates,
		"DELETE /api/customers/{id}": b.deletes,
	}
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

func jsonUnmarshal(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	return dec.Decode(v)
}
