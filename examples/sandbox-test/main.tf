# A small module of the kind a platform team keeps: customers described by
# realm and sub-realm *names*, turned into cloudlx_customer resources. Its
# tests (tests/customers.tftest.hcl) run with `terraform test` (Terraform
# 1.6+) against the CloudLX emulator, so they need no CloudLX account: see the
# guide "Try it and test your configuration without CloudLX".
#
# The endpoint and credentials come from CLOUDLX_ENDPOINT, CLOUDLX_CLIENT_ID
# and CLOUDLX_CLIENT_SECRET.
terraform {
  required_version = ">= 1.6"
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}

provider "cloudlx" {}

variable "customers" {
  description = "The customers, by a key of your choice."
  type = map(object({
    name               = string
    currency_iso       = string
    country_iso        = string
    realms             = set(string)
    shown_sub_realms   = optional(set(string), [])
    enabled_sub_realms = optional(set(string), [])
  }))
}

# Each customer's names become ids through data sources of its own, so a name
# the catalogue lacks fails the plan with an error that names the customer
# (data.cloudlx_realms.customer["<key>"]) and the name, suggests the closest
# known name and lists the known ones. The catalogue is read once however
# many customers there are.
data "cloudlx_realms" "customer" {
  for_each = var.customers
  names    = each.value.realms
}

data "cloudlx_sub_realms" "shown" {
  for_each = var.customers
  names    = each.value.shown_sub_realms
}

data "cloudlx_sub_realms" "enabled" {
  for_each = var.customers
  names    = each.value.enabled_sub_realms
}

resource "cloudlx_customer" "this" {
  for_each = var.customers

  name               = each.value.name
  currency_iso       = each.value.currency_iso
  country_iso        = each.value.country_iso
  realms             = data.cloudlx_realms.customer[each.key].ids
  shown_sub_realms   = data.cloudlx_sub_realms.shown[each.key].ids
  enabled_sub_realms = data.cloudlx_sub_realms.enabled[each.key].ids
}

output "customer_ids" {
  description = "The CloudLX id of each customer, by key."
  value       = { for k, c in cloudlx_customer.this : k => c.id }
}
