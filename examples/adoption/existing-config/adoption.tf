# Route 4 of the adoption guide: adopt the customers that are in CloudLX but
# not yet in customers.yaml, into the configuration in main.tf (Terraform or
# OpenTofu 1.7+). Nothing is created, changed or deleted in CloudLX.
#
#   1. terraform apply -refresh-only
#        reads CloudLX and changes nothing; saves the output.
#   2. terraform output -raw customers_yaml_to_add >>customers.yaml
#        appends an entry for each customer to adopt, in customers.yaml's
#        format; review it, and rename the keys now if you like (renaming
#        one later replaces the customer).
#   3. terraform apply
#        imports them: "N to import, 0 to add, 0 to change, 0 to destroy".
#   4. terraform plan
#        "No changes."
#
# Keep this file to adopt customers made in the portal later (each plan reads
# the customer list once), or delete it when you are done.

# The customers in CloudLX that adoption considers: every one, or those whose
# name matches name_regex.
data "cloudlx_customers" "candidates" {
  name_regex = ".*"
}

locals {
  managed_names = toset([for c in local.customers : c.name])
  # CloudLX's ids by name; a name that several customers share has several.
  cloudlx_ids_by_name = { for c in data.cloudlx_customers.candidates.customers : c.name => c.id... }
  not_in_yaml         = [for c in data.cloudlx_customers.candidates.customers : c if !contains(local.managed_names, c.name)]
}

# Import each customer of customers.yaml that CloudLX holds under exactly that
# name: the customers added in step 2. An import of a customer already in
# state does nothing. A name several customers share is left out: import
# those by id with an import block of your own.
import {
  for_each = { for key, c in local.customers : key => local.cloudlx_ids_by_name[c.name][0] if length(lookup(local.cloudlx_ids_by_name, c.name, [])) == 1 }
  to       = cloudlx_customer.this[each.key]
  id       = each.value
}

# Only the customers that customers.yaml lacks, so once every one is adopted
# this is empty, rather than the whole account on every apply.
output "customers_yaml_to_add" {
  description = "Entries for customers.yaml: the customers in CloudLX that it lacks, keyed by their name and id."
  value = length(local.not_in_yaml) == 0 ? "" : yamlencode({
    for c in local.not_in_yaml : trim("${lower(replace(c.name, "/[^0-9A-Za-z]+/", "-"))}-${c.id}", "-") => {
      name               = c.name
      currency           = c.currency_iso
      country            = c.country_iso
      realms             = c.realm_details[*].name
      shown_sub_realms   = c.sub_realm_details[*].name
      enabled_sub_realms = [for s in c.sub_realm_details : s.name if s.has_access]
    }
  })
}
