# Look sub-realms up by name rather than by environment-specific IDs. The
# catalogue is read once per Terraform command, however many of these data
# sources a configuration has.
data "cloudlx_sub_realms" "shown" {
  names = ["SD WAN", "Cloud SBC & Conversion"]
}

data "cloudlx_sub_realms" "enabled" {
  names = ["SD WAN"]
}

resource "cloudlx_customer" "acme" {
  name               = "Acme Ltd"
  currency_iso       = "GBP"
  country_iso        = "GB"
  realms             = [2]
  shown_sub_realms   = data.cloudlx_sub_realms.shown.ids
  enabled_sub_realms = data.cloudlx_sub_realms.enabled.ids
}
