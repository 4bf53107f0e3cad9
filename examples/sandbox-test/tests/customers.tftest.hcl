# terraform test against the CloudLX emulator (see the guide "Try it and test
# your configuration without CloudLX"). Each run block plans or applies the
# module; at the end `terraform test` destroys what the runs created.
#
# A realm name the catalogue lacks is not a run here: the error comes from the
# data source (the provider), and expect_failures only expects the failure of
# a custom condition (a variable's validation, a precondition, a check), not
# a provider's error (hashicorp/terraform#35949). The sandbox guide shows that
# plan and its error instead.

variables {
  customers = {
    acme = {
      name               = "Acme Ltd"
      currency_iso       = "GBP"
      country_iso        = "GB"
      realms             = ["Networking", "Voice"]
      shown_sub_realms   = ["SD WAN", "Cloud SBC & Conversion"]
      enabled_sub_realms = ["SD WAN"]
    }
  }
}

run "creates_the_customer_with_the_named_realms" {
  assert {
    condition     = sort(cloudlx_customer.this["acme"].realm_details[*].name) == tolist(["Networking", "Voice"])
    error_message = "the customer should have the realms Networking and Voice, has ${jsonencode(cloudlx_customer.this["acme"].realm_details[*].name)}"
  }
  assert {
    condition     = [for s in cloudlx_customer.this["acme"].sub_realm_details : s.name if s.has_access] == ["SD WAN"]
    error_message = "only SD WAN should be enabled"
  }
  assert {
    condition     = cloudlx_customer.this["acme"].currency.name == "GBP - British Pound"
    error_message = "CloudLX should describe the currency as \"GBP - British Pound\", not ${jsonencode(cloudlx_customer.this["acme"].currency.name)}"
  }
}

run "enables_a_second_sub_realm_in_place" {
  variables {
    customers = {
      acme = {
        name               = "Acme Ltd"
        currency_iso       = "GBP"
        country_iso        = "GB"
        realms             = ["Networking", "Voice"]
        shown_sub_realms   = ["SD WAN", "Cloud SBC & Conversion"]
        enabled_sub_realms = ["SD WAN", "Cloud SBC & Conversion"]
      }
    }
  }
  assert {
    condition     = output.customer_ids["acme"] == run.creates_the_customer_with_the_named_realms.customer_ids["acme"]
    error_message = "the customer should be updated in place, not replaced"
  }
  assert {
    condition     = length([for s in cloudlx_customer.this["acme"].sub_realm_details : s if s.has_access]) == 2
    error_message = "both sub-realms should be enabled"
  }
}
