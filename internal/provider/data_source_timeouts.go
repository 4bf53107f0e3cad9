package provider

// The read timeout that every data source and the cloudlx_customer list
// resource share: the data sources through their timeouts block, the list
// resource (which has none) as its fixed bound.

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// defaultDataSourceReadTimeout bounds a data source read, every page and
// retry included, when its timeouts block sets none.
const defaultDataSourceReadTimeout = 5 * time.Minute

// withReadTimeout bounds a data source's whole read (every page and retry) by
// its timeouts block. ok is false when the block is invalid (diags says why).
func withReadTimeout(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	timeout, d := t.Read(ctx, defaultDataSourceReadTimeout)
	diags.Append(d...)
	if d.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, true
}
