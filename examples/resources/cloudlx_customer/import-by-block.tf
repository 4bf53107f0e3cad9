# Terraform v1.5.0 and later, and OpenTofu: import customer 915 during a plan
# and apply. `terraform plan -generate-config-out=generated.tf` writes its
# configuration when no resource block exists yet.
import {
  to = cloudlx_customer.example
  id = "915"
}
