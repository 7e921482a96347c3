# No payhost or store block: the defaults apply.
provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}

merchant "acme" {
  api_key = "acme_literal_key_not_from_env_0001"
  route "all" {
    providers = [provider.redotpay.cards]
  }
}
