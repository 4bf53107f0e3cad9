# The client secret in an ephemeral variable (Terraform 1.10+, OpenTofu
# 1.11+): Terraform keeps its value out of plan and state files, so a saved
# plan (and `terraform show -json` of it) never holds it. A merely sensitive
# variable is hidden in the CLI's output but recorded in a saved plan. Set
# TF_VAR_cloudlx_client_secret for the plan and again for the apply of a
# saved plan.
terraform {
  required_version = ">= 1.10"
  required_providers {
    cloudlx = {
      source  = "cloudlx-community/cloudlx"
      version = "~> 0.1"
    }
  }
}

variable "cloudlx_client_id" {
  type = string
}

variable "cloudlx_client_secret" {
  type      = string
  ephemeral = true
}

provider "cloudlx" {
  client_id     = var.cloudlx_client_id
  client_secret = var.cloudlx_client_secret
}
