# A configuration that already manages some customers: the repository keeps
# them in customers.yaml, in its own format, with realms and sub-realms by
# name. adoption.tf, next to this file, is what the adoption guide's route 4
# adds to bring the customers that are in CloudLX but not in customers.yaml
# under this configuration.
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

locals {
  # key => {name, currency, country, realms, shown_sub_realms, enabled_sub_realms}
  customers = yamldecode(file("${path.module}/customers.yaml"))
}

# Each customer's names become ids through data sources of its own, so a name
# the catalogue lacks fails the plan with an error that names the customer
# (data.cloudlx_realms.customer["<key>"]) and the name, and suggests the
# closest known name. The catalogue is read once however many customers there
# are.
data "cloudlx_realms" "customer" {
  for_each = local.customers
  names    = each.value.realms
}

data "cloudlx_sub_realms" "shown" {
  for_each = local.customers
  names    = try(each.value.shown_sub_realms, [])
}

data "cloudlx_sub_realms" "enabled" {
  for_each = local.customers
  names    = try(each.value.enabled_sub_realms, [])
}

resource "cloudlx_customer" "this" {
  for_each = local.customers

  name               = each.value.name
  currency_iso       = each.value.currency
  country_iso        = each.value.country
  realms             = data.cloudlx_realms.customer[each.key].ids
  shown_sub_realms   = data.cloudlx_sub_realms.shown[each.key].ids
  enabled_sub_realms = data.cloudlx_sub_realms.enabled[each.key].ids
}
