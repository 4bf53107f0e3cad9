// Package acctest holds what the acceptance suite shares with the tools around
// it: the name prefix of every customer the suite creates on a live account, and
// the sweeper that removes them.
package acctest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// Prefix starts the name of every customer the acceptance suite creates
// ("tf-acc-<random>-<test>"). Nothing in the suite or the sweeper reads, changes
// or deletes a customer whose name does not start with it.
const Prefix = "tf-acc-"

// Owned reports whether name is one of the suite's customers.
func Owned(name string) bool { return strings.HasPrefix(name, Prefix) }

// SweepResult is what Sweep did.
type SweepResult struct {
	Deleted []string // "name (id N)"
	// Left are the suite's customers still in CloudLX: the API has no DELETE
	// (remove them in the portal), or deleting them failed.
	Left []string
}

// Sweep deletes every customer whose name starts with Prefix, and reports each on
// out. Before each DELETE it reads the customer again, so it only deletes an id
// whose own answer carries the prefix. When the API has no DELETE (405, 501) it
// stops deleting and lists the rest for removal in the portal.
func Sweep(ctx context.Context, client *cloudlx.Client, out io.Writer) (SweepResult, error) {
	var res SweepResult
	all, err := client.ListCustomers(ctx)
	if err != nil {
		return res, fmt.Errorf("listing customers: %w", err)
	}
	noDelete := false
	for _, c := range all {
		if !Owned(c.Name) {
			continue
		}
		label := fmt.Sprintf("%s (id %d)", c.Name, c.ID)
		if noDelete {
			res.Left = append(res.Left, label)
			continue
		}
		current, err := client.GetCustomer(ctx, c.ID)
		switch {
		case cloudlx.IsNotFound(err):
			continue // gone since the list
		case err != nil:
			fmt.Fprintf(out, "left %s: reading it failed: %v\n", label, err)
			res.Left = append(res.Left, label)
			continue
		case !Owned(current.Name):
			continue // renamed outside the suite since the list: not ours any more
		}
		err = client.DeleteCustomer(ctx, c.ID)
		switch status := cloudlx.StatusCode(err); {
		case err == nil:
			fmt.Fprintf(out, "deleted %s\n", label)
			res.Deleted = append(res.Deleted, label)
		case status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented:
			fmt.Fprintf(out, "this API has no DELETE (%d): remove the suite's customers in the portal\n", status)
			noDelete = true
			res.Left = append(res.Left, label)
		default:
			fmt.Fprintf(out, "left %s: %v\n", label, err)
			res.Left = append(res.Left, label)
		}
	}
	for _, l := range res.Left {
		fmt.Fprintf(out, "to remove in the portal: %s\n", l)
	}
	if len(res.Deleted)+len(res.Left) == 0 {
		fmt.Fprintf(out, "no customer named %s*\n", Prefix)
	}
	return res, nil
}
