data "cloudlx_sub_realms" "all" {}

locals {
  shown_sub_realms   = ["SD WAN", "Cloud SBC & Conversion"]
  enabled_sub_realms = ["SD WAN"]
}

# Refer to sub-realms by name rather than by environment-specific IDs.
resource "cloudlx_customer" "acme" {
  name               = "Acme Ltd"
  currency_iso       = "GBP"
  country_iso        = "GB"
  realms             = [2]
  shown_sub_realms   = [for name in local.shown_sub_realms : data.cloudlx_sub_realms.all.ids_by_name[name]]
  enabled_sub_realms = [for name in local.enabled_sub_realms : data.cloudlx_sub_realms.all.ids_by_name[name]]
}
