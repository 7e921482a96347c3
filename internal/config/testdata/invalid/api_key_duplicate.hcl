provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}

merchant "acme" {
  api_key = env("ACME_API_KEY")
  route "all" {
    providers = [provider.redotpay.cards]
  }
}

merchant "copycat" {
  api_keys = [
    "copycat_own_key_0123456789",
    env("ACME_API_KEY"), # ERROR: Duplicate API key
    "copycat_own_key_0123456789", # ERROR: Duplicate API key
  ]
  route "all" {
    providers = [provider.redotpay.cards]
  }
}
