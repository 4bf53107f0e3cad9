# Terraform v1.12.0 and later, and OpenTofu v1.12.0 and later: import customer
# 915 by its resource identity, the form `terraform query` writes.
terraform {
  required_version = ">= 1.12"
}

import {
  to       = cloudlx_customer.example
  identity = { id = 915 }
}

resource "cloudlx_customer" "example" {
  name         = "Acme Ltd"
  currency_iso = "GBP"
  country_iso  = "GB"
  realms       = [2, 7]
}
