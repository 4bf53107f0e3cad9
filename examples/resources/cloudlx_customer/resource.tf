# A customer with two realms who can see two sub-realms and use one of them.
# admin_user is the customer's first portal user, created with the customer.
resource "cloudlx_customer" "example" {
  name               = "Acme Ltd"
  currency_iso       = "GBP"
  country_iso        = "GB"
  realms             = [2, 7]
  shown_sub_realms   = [313, 328]
  enabled_sub_realms = [313]

  # A customer is a billing relationship: refuse any plan that would destroy it.
  deletion_policy = "PREVENT"

  admin_user = {
    email      = "ops@acme.example"
    first_name = "Jane"
    last_name  = "Doe"
  }

  timeouts {
    create = "15m"
  }
}

# The smallest configuration: no sub-realms, no portal user.
resource "cloudlx_customer" "minimal" {
  name         = "Globex Corporation"
  currency_iso = "USD"
  country_iso  = "US"
  realms       = [2]
}

# On an API without DELETE, say in the configuration that a destroy leaves the
# customer in CloudLX (the plan warns). CloudLX already has a customer named
# "Initech" (another branch), and a second one is intended here.
resource "cloudlx_customer" "branch" {
  name                 = "Initech"
  currency_iso         = "EUR"
  country_iso          = "DE"
  realms               = [2]
  deletion_policy      = "ABANDON"
  allow_duplicate_name = true
}
