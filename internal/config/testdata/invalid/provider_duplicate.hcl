provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}

provider "redotpay" "cards" { # ERROR: Duplicate provider
  endpoint  = "http://127.0.0.1:8905"
  client_id = "acme"
}
