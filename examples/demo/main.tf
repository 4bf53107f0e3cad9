# The demo run by `make demo`: two customers on the bundled emulator.
# The endpoint and credentials come from CLOUDLX_ENDPOINT, CLOUDLX_CLIENT_ID
# and CLOUDLX_CLIENT_SECRET, which scripts/demo.sh sets.
terraform {
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}

provider "cloudlx" {}

resource "cloudlx_customer" "acme" {
  name               = "Acme Ltd"
  currency_iso       = "GBP"
  country_iso        = "GB"
  realms             = [2, 7]
  shown_sub_realms   = [313, 328]
  enabled_sub_realms = [313]

  admin_user = {
    email      = "ops@acme.example"
    first_name = "Jane"
    last_name  = "Doe"
  }
}

resource "cloudlx_customer" "globex" {
  name         = "Globex Corporation"
  currency_iso = "USD"
  country_iso  = "US"
  realms       = [2]
}

output "customer_ids" {
  value = {
    acme   = cloudlx_customer.acme.id
    globex = cloudlx_customer.globex.id
  }
}
