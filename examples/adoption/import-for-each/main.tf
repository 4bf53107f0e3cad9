# Adopt every customer of the CloudLX account in one apply: import blocks with
# for_each (Terraform 1.7+, OpenTofu 1.7+) over the cloudlx_customers data
# source. Nothing is created, changed or deleted in CloudLX.
#
#   1. terraform apply
#        imports every customer; the plan says "N to import, 0 to add,
#        0 to change, 0 to destroy".
#   2. terraform output -json adopted_customers > adopted.json
#      mv adopted.json customers.auto.tfvars.json
#        freezes what was adopted into a file you commit. Until then the
#        configuration copies CloudLX itself, so a change made in the portal
#        can never show as drift. From then on the file is the desired state:
#        edit it to change customers or add new ones, and plans show changes
#        made in the portal. (Removing an entry destroys that customer.)
#        (Write to another name first: the CLI reads *.auto.tfvars.json files
#        while it prints the output, and must not find an empty one.)
#   3. terraform apply
#        changes nothing in CloudLX: it records that the adopted_customers
#        output, which from now on lists only the customers in CloudLX that
#        the file lacks, is empty. Then plans show no changes.
#
# The endpoint and credentials come from CLOUDLX_ENDPOINT, CLOUDLX_CLIENT_ID
# and CLOUDLX_CLIENT_SECRET.
terraform {
  required_version = ">= 1.7"
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}

provider "cloudlx" {}

variable "customers" {
  description = "The managed customers: set by customers.auto.tfvars.json once it is written (step 2), unset (null) while adopting. Adopted customers are keyed by their ID; give customers you add any other unique key."
  type = map(object({
    name               = string
    currency_iso       = string
    country_iso        = string
    realms             = set(number)
    shown_sub_realms   = set(number)
    enabled_sub_realms = set(number)
    # Only for customers this configuration creates: CloudLX creates a
    # customer's first user with the customer, and never returns it.
    admin_user = optional(object({
      email      = string
      first_name = string
      last_name  = string
      role_group = optional(string)
    }))
  }))
  default = null
}

# Every customer CloudLX has now.
data "cloudlx_customers" "all" {}

locals {
  in_cloudlx = {
    for c in data.cloudlx_customers.all.customers : tostring(c.id) => {
      name               = c.name
      currency_iso       = c.currency_iso
      country_iso        = c.country_iso
      realms             = c.realms
      shown_sub_realms   = c.shown_sub_realms
      enabled_sub_realms = c.enabled_sub_realms
      admin_user         = null # an adopted customer has none to import
    }
  }
  adopting  = var.customers == null
  customers = local.adopting ? local.in_cloudlx : var.customers
}

# Import each customer in CloudLX that the configuration manages under its ID:
# while adopting, every one. To adopt a customer made in the portal later, run
# terraform apply -refresh-only, copy its entry from the adopted_customers
# output (which lists only such customers once the file exists) into
# customers.auto.tfvars.json and apply. Imports of customers
# already in state do nothing.
import {
  for_each = { for id, c in local.in_cloudlx : id => c if contains(keys(local.customers), id) }
  to       = cloudlx_customer.this[each.key]
  id       = each.key
}

resource "cloudlx_customer" "this" {
  for_each = local.customers

  name               = each.value.name
  currency_iso       = each.value.currency_iso
  country_iso        = each.value.country_iso
  realms             = each.value.realms
  shown_sub_realms   = each.value.shown_sub_realms
  enabled_sub_realms = each.value.enabled_sub_realms
  admin_user         = each.value.admin_user
}

# While adopting, every customer as CloudLX has it now, in the form of
# customers.auto.tfvars.json (step 2). Once that file exists, only the
# customers in CloudLX that it lacks, so that an apply prints what there is
# left to adopt, not the whole account.
output "adopted_customers" {
  description = "The customers in CloudLX that customers.auto.tfvars.json lacks (while adopting: every one), as the content of that file."
  value       = { customers = { for id, c in local.in_cloudlx : id => c if local.adopting || !contains(keys(local.customers), id) } }
}
