provider "reddot" "sg" {
  endpoint    = "http://127.0.0.1:8903"
  merchant_id = "rdp-sg-001"
  secret_key  = env("REDDOT_SECRET")
  max_retries = "three" # ERROR: Incorrect attribute value type
  test_mode   = true
  timeout     = "30s" # ERROR: Unsupported argument
}

provider "reddot" "my" {
  endpoint    = "http://127.0.0.1:8903"
  merchant_id = "rdp-my-001"
  secret_key  = env("REDDOT_SECRET")
  max_retries = 2.5 # ERROR: Invalid whole number
}

provider "reddot" "us" { # ERROR: Missing required argument
  endpoint    = "http://127.0.0.1:8903"
  merchant_id = "rdp-us-001"
}

provider "appotapay" "vn" {
  endpoint     = "http://127.0.0.1:8902"
  partner_code = "APPOTAPAY"
  api_key      = env("APPOTA_API_KEY")
  secret_key   = env("APPOTA_SECRET_KEY")
  timeout      = "soon" # ERROR: Invalid duration
}

provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
  tags      = "a"             # ERROR: Incorrect attribute value type
  headers   = { "X-A" = null } # ERROR: Incorrect attribute value type
}
