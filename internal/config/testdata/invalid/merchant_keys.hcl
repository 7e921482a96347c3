provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}

merchant "nokey" { # ERROR: Missing API key
  route "all" {
    providers = [provider.redotpay.cards]
  }
}

merchant "both" {
  api_key  = env("ACME_API_KEY")
  api_keys = [env("SHOP_API_KEY")] # ERROR: Conflicting API key arguments
  route "all" {
    providers = [provider.redotpay.cards]
  }
}

merchant "emptylist" {
  api_keys = [] # ERROR: Missing API key
  route "all" {
    providers = [provider.redotpay.cards]
  }
}

merchant "short" {
  api_keys = ["0123456789abcdef0123", "abc123"] # WARNING: Short API key
  route "all" {
    providers = [provider.redotpay.cards]
  }
}

merchant "acme corp" { # ERROR: Invalid merchant id
  api_key = "acme_corp_key_0123456789"
  route "all" {
    providers = [provider.redotpay.cards]
  }
}
