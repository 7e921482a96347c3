# Functions: env, file and the standard library, in the configuration and
# in when.
store "postgres" {
  dsn = env("PAYHOST_PG_DSN")
}

provider "redotpay" "global" {
  endpoint         = format("https://%s/v2", lower("API.REDOTPAY.EXAMPLE"))
  client_id        = join("-", ["shop", "prod"])
  signing_material = chomp(file("webhook_secret.txt"))
  tags             = sort(["b", "a"])
  headers          = { "X-Team" = upper("pay") }
}

provider "reddot" "sg" {
  endpoint    = "https://secure.reddotpayment.example"
  merchant_id = "0001"
  secret_key  = env("REDDOT_SECRET")
  test_mode   = true
}

merchant "shop" {
  api_keys = [env("SHOP_API_KEY"), "shop_previous_key_9876543210"]
  webhook {
    url    = "https://shop.example/events"
    secret = trimspace(file("webhook_secret.txt"))
  }

  route "big-manual-cards" {
    when      = payment.method == "card" && payment.capture == "manual" && payment.amount > 100000
    providers = [provider.reddot.sg]
  }
  route "vip" {
    when      = startswith(payment.reference, "VIP-") || lookup(payment.metadata, "tier", "") == "gold"
    providers = [provider.reddot.sg, provider.redotpay.global]
  }
  route "asia" {
    when      = contains(["SG", "MY", "VN"], payment.country) && payment.method != "token"
    providers = [provider.redotpay.global]
  }
  route "fallback" {
    when      = true
    providers = [provider.redotpay.global]
  }
}
