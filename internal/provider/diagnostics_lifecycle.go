package provider

// The long diagnostics of the lifecycle rules in customer_lifecycle.go
// (deletion_policy, the duplicate-name guard, a create decided on evidence),
// one constructor each, as in diagnostics.go; diagnostics_lifecycle_test.go
// checks every text.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// customerWillBeAbandoned warns, in the plan of a destroy, that
// deletion_policy = "ABANDON" leaves the customer in CloudLX.
func customerWillBeAbandoned(name string, id int64) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Destroying this CloudLX customer leaves it in CloudLX",
		fmt.Sprintf("Customer %q (id %d) has deletion_policy = \"ABANDON\", so destroying it sends nothing to CloudLX: "+
			"the customer remains in CloudLX (and in its billing) and is only removed from Terraform state. To delete it "+
			"in CloudLX instead, set deletion_policy = \"DELETE\" and apply that before destroying. To manage it again "+
			"later, import it by its id, %d.", name, id, id))
}

// customerAbandoned tells the apply that destroyed a customer with
// deletion_policy = "ABANDON" that it sent nothing.
func customerAbandoned(name string, id int64) diag.Diagnostic {
	return diag.NewWarningDiagnostic("CloudLX customer left in CloudLX",
		fmt.Sprintf("Customer %q (id %d) has deletion_policy = \"ABANDON\": it was removed from Terraform state only, no "+
			"request was sent, and it remains in CloudLX. To manage it with Terraform again, import it:\n"+
			"  terraform import <resource address> %d", name, id, id))
}

// customerDestroyPrevented refuses to destroy a customer with
// deletion_policy = "PREVENT": in the plan, and in Delete should a destroy
// get there unplanned (the destroy half of -replace, for one).
func customerDestroyPrevented(name string, id int64) diag.Diagnostic {
	return diag.NewErrorDiagnostic("CloudLX customer is protected from destroy",
		fmt.Sprintf("Customer %q (id %d) has deletion_policy = \"PREVENT\" in Terraform state, so Terraform refuses to "+
			"destroy it, and nothing was sent to CloudLX. A customer is a billing relationship.\n\n"+
			"To destroy it, first set deletion_policy = \"DELETE\" (the destroy deletes it in CloudLX) or \"ABANDON\" (the "+
			"destroy leaves it in CloudLX and only removes it from Terraform state) in its resource block, and apply that "+
			"change; then destroy it.\n\n"+
			"To stop managing it with Terraform without destroying it, replace its resource block with a removed block "+
			"(Terraform 1.7 and later):\n"+
			"  removed {\n"+
			"    from = <resource address>\n"+
			"    lifecycle {\n"+
			"      destroy = false\n"+
			"    }\n"+
			"  }", name, id))
}

// nameTaken refuses, at plan, a create of a customer named name that CloudLX
// already holds (taken, one or more, with their ids).
func nameTaken(name string, taken []cloudlx.Customer) diag.Diagnostic {
	ids := customerIDs(taken)
	holds := fmt.Sprintf("a customer named %q: id %d", name, ids[0])
	which := ""
	if len(ids) > 1 {
		holds = fmt.Sprintf("%d customers named %q: ids %s", len(ids), name, joinIDs(ids))
		which = " (the one this resource should manage)"
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("name"), "A CloudLX customer with this name already exists",
		fmt.Sprintf("CloudLX already has %s. Creating this resource would make another customer of that name (a customer "+
			"is a billing relationship), so the plan stops here and nothing is sent to CloudLX.\n\n"+
			"To manage the existing customer with Terraform, import it instead of creating it: add an import block%s "+
			"next to the resource, with \"to\" set to this resource's address (shown with this error), and plan again:\n"+
			"  import {\n"+
			"    to = <resource address>\n"+
			"    id = \"%d\"\n"+
			"  }\n"+
			"or run: terraform import <resource address> %d\n\n"+
			"If this configuration already manages that customer under another address (a renamed resource or for_each "+
			"key), add a moved block from the old address to the new one instead. If another customer named %q is really "+
			"intended, set allow_duplicate_name = true on this resource.", holds, which, ids[0], ids[0], name))
}

// nameCreatedTwice refuses a plan in which more than one resource creates a
// customer named name (allowDuplicate: this resource allows it, the other
// does not).
func nameCreatedTwice(name string, allowDuplicate bool) diag.Diagnostic {
	detail := fmt.Sprintf("This plan creates more than one customer named %q: this resource and another one in the "+
		"configuration. Give each customer a name of its own; if several customers of that name are really intended, set "+
		"allow_duplicate_name = true on every resource that creates one.", name)
	if allowDuplicate {
		detail += " This resource sets it; the other does not."
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("name"), "Two resources create a CloudLX customer with this name", detail)
}

// nameCheckFailed refuses a create whose name could not be checked, because
// the customer list (listURL) could not be read.
func nameCheckFailed(name, listURL string, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("name"), "Could not check that no CloudLX customer has this name",
		fmt.Sprintf("This plan creates customer %q. A plan that creates a customer first checks that CloudLX has none of "+
			"that name, because another customer of one name is a billing relationship that no plan should make by "+
			"accident, and the customer list (%s) could not be read:\n%v\n\n"+
			"Nothing was sent to CloudLX. Plan again once the API answers. If the API client's portal user may not read "+
			"the customer list, give it that permission; allow_duplicate_name = true skips the check, and with it the "+
			"protection.", name, listURL, err))
}

// customerMayHaveBeenCreated: a create failed without a clear answer
// (cloudlx.MayHaveSucceeded) and the customer list could not settle it (why
// says why not), so the user looks for the customer before applying again.
func customerMayHaveBeenCreated(name string, err error, why string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("CloudLX customer may have been created",
		fmt.Sprintf("Creating customer %q failed without a clear answer, so it is unknown whether CloudLX created it. "+
			"The request was not repeated, to avoid creating the customer twice. %s\n\n"+
			"Before applying again, look for a customer named %q in the CloudLX portal. If it exists, import it "+
			"instead of creating it again, with\n  terraform import <resource address> <customer id>\n"+
			"or an import block (import { to = <resource address>, id = \"<customer id>\" }). "+
			"If it does not exist, apply again.\n\n%s",
			name, why, name, err))
}

// lostCreateAnswerFound: a create lost its answer (err), and the customer
// list held exactly one customer of its name, id: this apply created it. sent
// is how many POSTs were sent.
func lostCreateAnswerFound(name string, id int64, sent int, err error) diag.Diagnostic {
	again := ""
	if sent > 1 {
		again = " (the second request: the list read after the first showed that it never reached CloudLX)"
	}
	return diag.NewWarningDiagnostic("CloudLX customer created, but its answer was lost",
		fmt.Sprintf("Creating customer %q got no clear answer%s: %v\n\nThe plan proved that no CloudLX customer had that "+
			"name, and the customer list, read once after the request, holds exactly one: id %d. This apply created it, "+
			"so it is saved to Terraform state, and no customer was created twice.", name, again, err, id))
}

// lostCreateSeveralNamed: a create lost its answer (err), and the customer
// list holds several customers of its name, so none can be taken for ours.
func lostCreateSeveralNamed(name string, named []cloudlx.Customer, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Several CloudLX customers have this name",
		fmt.Sprintf("Creating customer %q got no clear answer (%v). The plan proved that no CloudLX customer had that "+
			"name, but the customer list, read after the request, holds %d: ids %s. One of them was created by someone "+
			"else since the plan, so Terraform cannot tell which one this apply created, and saved none to state.\n\n"+
			"Look at them in the CloudLX portal, import the one this resource should manage (import { to = <resource "+
			"address>, id = \"<customer id>\" }), and remove or suspend the others.",
			name, err, len(named), joinIDs(customerIDs(named))))
}

// createNotLanded: a create was sent twice, each time without a clear answer
// (err is the last), and the customer list held no customer of its name
// after either: CloudLX did not create it.
func createNotLanded(name string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("CloudLX customer was not created",
		fmt.Sprintf("Creating customer %q failed twice without a clear answer, and the customer list, read after each "+
			"attempt, holds no customer of that name: CloudLX did not create it, and nothing was saved to state. Apply "+
			"again once the API answers.\n\n%v", name, err))
}

// createSentAgain: a create lost its answer (err), the customer list held no
// customer of its name, so it was sent again and created customer id.
func createSentAgain(name string, id int64, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("CloudLX customer created on the second attempt",
		fmt.Sprintf("The first request to create customer %q got no clear answer (%v), and the customer list, read after "+
			"it, held no customer of that name: the request never reached CloudLX. It was sent again and created "+
			"customer id %d.", name, err, id))
}

// customerIDs returns the customers' ids in ascending order.
func customerIDs(cs []cloudlx.Customer) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	slices.Sort(ids)
	return ids
}

// joinIDs renders ids as "915, 916".
func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}
