terraform {
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}

# Credentials of an API client created in the CloudLX portal. Leave them out
# of the configuration to take them from CLOUDLX_CLIENT_ID and
# CLOUDLX_CLIENT_SECRET instead.
variable "cloudlx_client_id" {
  type = string
}

variable "cloudlx_client_secret" {
  type      = string
  sensitive = true
}

provider "cloudlx" {
  client_id     = var.cloudlx_client_id
  client_secret = var.cloudlx_client_secret
}

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
