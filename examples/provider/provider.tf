terraform {
  required_providers {
    cloudlx = {
      source  = "cloudlx-community/cloudlx"
      version = "~> 0.1"
    }
  }
}

# The credentials of an API client created in the CloudLX portal come from
# the environment (CLOUDLX_CLIENT_ID and CLOUDLX_CLIENT_SECRET), so that no
# secret is written in the configuration or recorded in a saved plan.
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

output "acme_customer_id" {
  value = cloudlx_customer.acme.id
}
