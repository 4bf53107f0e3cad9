terraform {
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}

# An access token minted elsewhere, for example read from a secrets store.
# It cannot be renewed, so it must outlive the whole run. Leave it out of the
# configuration to take it from CLOUDLX_ACCESS_TOKEN instead.
variable "cloudlx_access_token" {
  type      = string
  sensitive = true
}

provider "cloudlx" {
  access_token = var.cloudlx_access_token

  # Optional tuning; these are the defaults.
  max_retries     = 5
  request_timeout = "60s"
}
