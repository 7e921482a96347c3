provider "appotapay" "vn" {
  endpoint     = "http://127.0.0.1:8902"
  partner_code = "APPOTAPAY"
  api_key      = env("EMPTY") # ERROR: Empty sensitive value
  secret_key   = env("APPOTA_SECRET_KEY")
}

merchant "acme" {
  api_key = env("ACME_API_KEY")
  webhook {
    url    = "https://acme.example/events"
    secret = env("EMPTY") # ERROR: Empty sensitive value
  }
  route "all" {
    providers = [provider.appotapay.vn]
  }
}
