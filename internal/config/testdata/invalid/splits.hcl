provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}

provider "reddot" "sg" {
  endpoint    = "http://127.0.0.1:8903"
  merchant_id = "rdp-sg-001"
  secret_key  = env("REDDOT_SECRET")
}

merchant "acme" {
  api_key = env("ACME_API_KEY")
  route "weights" {
    when = payment.currency == "MYR"
    split {
      provider = provider.reddot.sg
      weight   = 0 # ERROR: Invalid split weight
    }
    split {
      provider = provider.redotpay.cards
      weight   = -5 # ERROR: Invalid split weight
    }
  }
  route "fraction" {
    when = payment.currency == "USD"
    split {
      provider = provider.reddot.sg
      weight   = 2.5 # ERROR: Invalid split weight
    }
    split {
      provider = provider.redotpay.cards
      weight   = "half" # ERROR: Incorrect attribute value type
    }
    split {
      provider = provider.reddot.sg # ERROR: Duplicate provider in route
      weight   = 1000001 # ERROR: Invalid split weight
    }
  }
  route "missing" {
    when = payment.currency == "SGD"
    split { # ERROR: Missing required argument
      provider = provider.reddot.sg
    }
    split {
      provider = provider.redotpay.cards
      weight   = 1
      share    = 50 # ERROR: Unsupported argument
    }
  }
  route "all" {
    providers = [provider.redotpay.cards]
  }
}
