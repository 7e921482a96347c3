provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}

merchant "acme" {
  api_key = env("ACME_API_KEY")
  webhook {
    url    = "acme.example/events" # ERROR: Invalid webhook URL
    secret = env("ACME_WEBHOOK_SECRET")
  }
  webhook { # ERROR: Duplicate webhook block
    url    = "https://acme.example/events"
    secret = env("ACME_WEBHOOK_SECRET")
  }
  route "all" {
    providers = [provider.redotpay.cards]
  }
}

merchant "shop" {
  api_key = env("SHOP_API_KEY")
  webhook { # ERROR: Missing required argument
    url = "https://shop.example/events#frag" # ERROR: Invalid webhook URL
  }
  route "all" {
    providers = [provider.redotpay.cards]
  }
}
