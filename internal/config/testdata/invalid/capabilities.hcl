provider "appotapay" "vn" {
  endpoint     = "http://127.0.0.1:8902"
  partner_code = "APPOTAPAY"
  api_key      = env("APPOTA_API_KEY")
  secret_key   = env("APPOTA_SECRET_KEY")
}

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
    when = payment.method == "card"
    providers = [
      provider.reddot.sg,
      provider.appotapay.vn, # WARNING: Provider cannot serve this route
    ]
  }
  route "manual" {
    when = payment.capture == "manual"
    split {
      provider = provider.reddot.sg
      weight   = 50
    }
    split {
      provider = provider.redotpay.cards # WARNING: Provider cannot serve this route
      weight   = 50
    }
  }
  route "euro" {
    when      = payment.currency == "EUR" || payment.currency == "GBP"
    providers = [provider.redotpay.cards, provider.appotapay.vn] # WARNING: Provider accepts none of this route's currencies
  }
  route "all" {
    providers = [provider.redotpay.cards]
  }
}
