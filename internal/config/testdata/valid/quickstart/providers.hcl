provider "appotapay" "vn" {
  endpoint     = "http://127.0.0.1:8902"
  partner_code = "APPOTAPAY"
  api_key      = env("APPOTA_API_KEY")
  secret_key   = env("APPOTA_SECRET_KEY")
}

provider "reddot" "sg" {
  endpoint    = "http://127.0.0.1:8903"
  merchant_id = "rdp-sg-001"
  secret_key  = env("REDDOT_SECRET")
  max_retries = 3
}

provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}
