# Look a customer up by its exact name (case and spaces count)...
data "cloudlx_customer" "template" {
  name = "Acme Ltd"
}

# ...or by its ID.
data "cloudlx_customer" "by_id" {
  id = 4242
}

# A new customer with the same currency, country, realms and sub-realms as the template.
resource "cloudlx_customer" "sister" {
  name               = "Acme Labs"
  currency_iso       = data.cloudlx_customer.template.currency_iso
  country_iso        = data.cloudlx_customer.template.country_iso
  realms             = data.cloudlx_customer.template.realms
  shown_sub_realms   = data.cloudlx_customer.template.shown_sub_realms
  enabled_sub_realms = data.cloudlx_customer.template.enabled_sub_realms
}

output "template_realm_names" {
  value = data.cloudlx_customer.template.realm_details[*].name
}
