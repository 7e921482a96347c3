provider "redotpay" { # ERROR: Missing name for provider
  endpoint = "http://127.0.0.1:8904"
}

provider "redotpay" "cards eu" { # ERROR: Invalid provider name
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}
