merchant "acme" {
  api_key = env("ACME_API_KEY")
  webhook {
    url    = "https://acme.example/events"
    secret = file("no-such-secret.txt") # ERROR: Error in function call
  }
  route "all" {
    providers = [provider.redotpay.cards]
  }
}

provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}
