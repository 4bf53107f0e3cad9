data "cloudlx_realms" "all" {}

# Refer to realms by name rather than by environment-specific IDs.
resource "cloudlx_customer" "acme" {
  name         = "Acme Ltd"
  currency_iso = "GBP"
  country_iso  = "GB"
  realms = [
    data.cloudlx_realms.all.ids_by_name["Networking"],
    data.cloudlx_realms.all.ids_by_name["Voice"],
  ]
}

output "realms" {
  value = data.cloudlx_realms.all.realms
}
