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
