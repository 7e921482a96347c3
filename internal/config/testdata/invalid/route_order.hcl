provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}

merchant "acme" { # WARNING: No route matches every payment
  api_key = env("ACME_API_KEY")
  route "usd" {
    when      = payment.currency == "USD"
    providers = [provider.redotpay.cards]
  }
}

merchant "shop" { # WARNING: Merchant has no routes
  api_key = env("SHOP_API_KEY")
}

merchant "late" {
  api_key = "late_merchant_key_0123456789"
  route "everything" {
    when      = payment.amount >= 0 || true
    providers = [provider.redotpay.cards]
  }
  route "usd" { # WARNING: Unreachable route
    when      = payment.currency == "USD"
    providers = [provider.redotpay.cards]
  }
}
