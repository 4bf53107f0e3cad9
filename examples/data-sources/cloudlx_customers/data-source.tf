# Every customer of the account.
data "cloudlx_customers" "all" {}

# Only customers whose name starts with "Acme" (an RE2 regular expression,
# matched anywhere in the name unless anchored).
data "cloudlx_customers" "acme" {
  name_regex = "^Acme"
}

output "customer_names_by_id" {
  value = { for c in data.cloudlx_customers.all.customers : c.id => c.name }
}

# Import blocks for the Acme customers, to paste into the configuration and
# complete with `terraform plan -generate-config-out=generated.tf`.
output "acme_import_blocks" {
  value = join("\n", [
    for c in data.cloudlx_customers.acme.customers :
    "import {\n  to = cloudlx_customer.customer_${c.id}\n  id = \"${c.id}\"\n}\n"
  ])
}
