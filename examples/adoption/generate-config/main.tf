# Adopt every customer of the CloudLX account with any Terraform from 1.5 on,
# or OpenTofu: import blocks listed by the cloudlx_customers data source, and
# resource blocks written by `plan -generate-config-out`. Nothing is created,
# changed or deleted in CloudLX.
#
#   1. terraform apply
#        only reads the customers (no resources yet) and saves the output.
#   2. terraform output -raw import_blocks > imports.tf
#   3. terraform plan -generate-config-out=generated.tf
#        writes one cloudlx_customer block per customer, with the values
#        CloudLX holds; review it.
#   4. terraform apply
#        imports every customer; the plan says "N to import, 0 to add,
#        0 to change, 0 to destroy".
#   5. terraform plan
#        "No changes." From now on generated.tf is the desired state: edit it
#        to change customers, and plans show changes made in the portal.
#        imports.tf is done: keep it as a record, or delete it.
#
# The endpoint and credentials come from CLOUDLX_ENDPOINT, CLOUDLX_CLIENT_ID
# and CLOUDLX_CLIENT_SECRET.
terraform {
  required_version = ">= 1.5"
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}

provider "cloudlx" {}

# Every customer CloudLX has now; add name_regex to adopt only some.
data "cloudlx_customers" "all" {}

output "import_blocks" {
  description = "One import block per customer, to save as imports.tf."
  value = join("\n", [
    for c in data.cloudlx_customers.all.customers :
    "import {\n  to = cloudlx_customer.customer_${c.id}\n  id = \"${c.id}\"\n}\n"
  ])
}
