terraform {
  required_version = ">= 1.10" # for the ephemeral variable
  required_providers {
    cloudlx = {
      source  = "cloudlx-community/cloudlx"
      version = "~> 0.1"
    }
  }
}

# An access token minted elsewhere, for example read from a secrets store.
# It cannot be renewed, so it must outlive the whole run. Leave it out of the
# configuration to take it from CLOUDLX_ACCESS_TOKEN instead. The variable is
# ephemeral (Terraform 1.10+, OpenTofu 1.11+), so no plan or state file
# records the token.
variable "cloudlx_access_token" {
  type      = string
  ephemeral = true
}

provider "cloudlx" {
  access_token = var.cloudlx_access_token

  # Optional tuning; these are the defaults.
  max_retries     = 5
  request_timeout = "60s"
}
