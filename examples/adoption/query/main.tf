# The provider that adoption/query/main.tfquery.hcl queries with. The endpoint
# and credentials come from CLOUDLX_ENDPOINT, CLOUDLX_CLIENT_ID and
# CLOUDLX_CLIENT_SECRET.
terraform {
  required_version = ">= 1.14"
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}

provider "cloudlx" {}
