provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}

provider "reddot" "sg" {
  endpoint    = "http://127.0.0.1:8903"
  merchant_id = "rdp-sg-001"
  secret_key  = env("REDDOT_SECRET")
}

merchant "acme" {
  api_key = env("ACME_API_KEY")

  route "cards" {
    when      = payment.method == "card"
    providers = [provider.reddot.sg]
  }
  route "cards" { # ERROR: Duplicate route
    when      = payment.method == "card"
    providers = [provider.redotpay.cards]
  }
  route "typo" {
    when      = payment.method == "wallet"
    providers = [provider.redotpay.card] # ERROR: Reference to undeclared provider
  }
  route "quoted" {
    when      = payment.country == "SG"
    providers = ["provider.reddot.sg", provider.reddot] # ERROR: Invalid provider reference # ERROR: Invalid provider reference
  }
  route "bare" {
    when      = payment.country == "MY"
    providers = [reddot.sg] # ERROR: Invalid provider reference
  }
  route "notlist" {
    when      = payment.country == "TH"
    providers = provider.reddot.sg # ERROR: Invalid providers list
  }
  route "both" {
    when      = payment.country == "ID"
    providers = [provider.reddot.sg] # ERROR: Conflicting route targets
    split {
      provider = provider.redotpay.cards
      weight   = 1
    }
  }
  route "neither" { # ERROR: Route has no providers
    when = payment.country == "PH"
  }
  route "empty" {
    when      = payment.country == "KH"
    providers = [] # ERROR: Route has no providers
  }
  route "twice" {
    when      = payment.country == "LA"
    providers = [provider.reddot.sg, provider.reddot.sg] # ERROR: Duplicate provider in route
  }
  route "bad name!" { # ERROR: Invalid route name
    when      = payment.country == "MM"
    providers = [provider.reddot.sg]
  }
  route "all" {
    providers = [provider.redotpay.cards]
  }
}
