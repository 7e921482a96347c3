merchant "acme" {
  api_key = env("ACME_API_KEY_TYPO") # ERROR: Missing environment variable
  route "all" {
    providers = [provider.redotpay.cards]
  }
}

provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = env("REDOTPAY_CLIENT") # ERROR: Missing environment variable
}
