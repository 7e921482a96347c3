merchant "acme" { # ERROR: Duplicate merchant
  api_key = env("SHOP_API_KEY")
  route "all" {
    providers = [provider.redotpay.cards]
  }
}
