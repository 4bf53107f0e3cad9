# Find customers with `terraform query` (Terraform 1.14 and later), then let
# Terraform write an import block and a resource block for each:
#
#   terraform query
#        lists each customer found: its identity (id) and its name.
#   terraform query -generate-config-out=generated.tf
#        writes import blocks (identity = { id = ... }) and resource blocks
#        with the values CloudLX holds; review it.
#   terraform apply
#        imports them: "N to import, 0 to add, 0 to change, 0 to destroy".
#
# Each list block costs one GET /api/customers per page of the list. `limit`
# is how many customers Terraform takes (100 unless set).
list "cloudlx_customer" "acme" {
  provider = cloudlx
  limit    = 1000

  config {
    name_regex = "^Acme" # leave config {} empty to find every customer
  }
}
