package provider

import (
	"context"
	"sync"
)

// cachedCatalogue is one catalogue (realms or sub-realms), read at most once
// per provider process and shared by everything that needs it: the plan-time
// id checks of every cloudlx_customer and every cloudlx_realms or
// cloudlx_sub_realms data source, so a for_each of 200 of them, or a plan
// creating 200 customers, costs one read. Catalogues change when an
// administrator adds a realm, not within one Terraform command.
//
// A failed read is remembered too: the next caller gets the same error
// instead of trying again, so a catalogue that is missing or failing costs
// one read, not one per resource. The exception is a read that failed because
// its caller's context ended (its timeout, or Terraform stopping): that says
// nothing about the catalogue, so the next caller reads again.
type cachedCatalogue struct {
	mu      sync.Mutex // held during the read: concurrent callers wait for its answer
	done    bool
	entries []catalogueEntry // shared: callers must not modify it
	err     error
}

// newCatalogueCache has one cachedCatalogue per catalogue, by API path.
func newCatalogueCache() map[string]*cachedCatalogue {
	return map[string]*cachedCatalogue{realmsCatalogue.path: {}, subRealmsCatalogue.path: {}}
}

// catalogue returns kind's catalogue, reading it if this process has not yet.
func (d *providerData) catalogue(ctx context.Context, kind catalogueKind) ([]catalogueEntry, error) {
	c := d.catalogues[kind.path]
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return c.entries, c.err
	}
	entries, err := kind.list(ctx, d.client)
	if err != nil && ctx.Err() != nil {
		return nil, err
	}
	c.done, c.entries, c.err = true, entries, err
	return entries, err
}
