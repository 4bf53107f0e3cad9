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

data "cloudlx_realms" "all" {}
data "cloudlx_sub_realms" "all" {}

resource "cloudlx_customer" "this" {
  for_each = var.customers

  name               = each.value.name
  currency_iso       = each.value.currency_iso
  country_iso        = each.value.country_iso
  realms             = [for r in each.value.realms : data.cloudlx_realms.all.ids_by_name[r]]
  shown_sub_realms   = [for s in each.value.shown_sub_realms : data.cloudlx_sub_realms.all.ids_by_name[s]]
  enabled_sub_realms = [for s in each.value.enabled_sub_realms : data.cloudlx_sub_realms.all.ids_by_name[s]]

  lifecycle {
    # A name the catalogue lacks fails the plan with a message that names it,
    # rather than Terraform's "Invalid index".
    precondition {
      condition     = length(setsubtract(each.value.realms, keys(data.cloudlx_realms.all.ids_by_name))) == 0
      error_message = "Customer \"${each.key}\": CloudLX has no realm named ${join(", ", setsubtract(each.value.realms, keys(data.cloudlx_realms.all.ids_by_name)))}. Known realms: ${join(", ", sort(keys(data.cloudlx_realms.all.ids_by_name)))}."
    }
    precondition {
      condition     = length(setsubtract(setunion(each.value.shown_sub_realms, each.value.enabled_sub_realms), keys(data.cloudlx_sub_realms.all.ids_by_name))) == 0
      error_message = "Customer \"${each.key}\": CloudLX has no sub-realm named ${join(", ", setsubtract(setunion(each.value.shown_sub_realms, each.value.enabled_sub_realms), keys(data.cloudlx_sub_realms.all.ids_by_name)))}. Known sub-realms: ${join(", ", sort(keys(data.cloudlx_sub_realms.all.ids_by_name)))}."
    }
  }
}

output "customer_ids" {
  description = "The CloudLX id of each customer, by key."
  value       = { for k, c in cloudlx_customer.this : k => c.id }
}
