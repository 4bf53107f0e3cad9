# Look realms up by name rather than by environment-specific IDs. An unknown
# name fails the plan with an error that names it, suggests the closest known
# name and lists the known ones.
data "cloudlx_realms" "acme" {
  names = ["Networking", "Voice"]
}

resource "cloudlx_customer" "acme" {
  name         = "Acme Ltd"
  currency_iso = "GBP"
  country_iso  = "GB"
  realms       = data.cloudlx_realms.acme.ids # in the order of names
}

# The whole catalogue, for reference.
data "cloudlx_realms" "all" {}

output "realms" {
  value = data.cloudlx_realms.all.realms
}
