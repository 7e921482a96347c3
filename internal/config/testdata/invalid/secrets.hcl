# Literal credentials (each holds the marker the test looks for) on lines that
# draw diagnostics: snippets and details must show none of them.
provider "redotpay" "cards" {
  endpoint         = "http://127.0.0.1:8904"
  client_id        = "acme"
  signing_material = ["LEAK-signing-material"] # ERROR: Incorrect attribute value type
  secret           = "LEAK-misspelled-secret"  # ERROR: Unsupported argument
}

store "postgres" {
  dsn = tonumber("postgres://payhost:LEAK-pg-password@db/payhost") # ERROR: Invalid function argument
}

merchant "acme" {
  api_key = "LEAK-short" # WARNING: Short API key
  webhook {
    url    = "https://acme.example/events"
    secret = "LEAK-webhook-${1 + "a"}" # ERROR: Invalid operand
  }
  route "all" {
    providers = [provider.redotpay.cards]
  }
}
