# Routing over the three shipped providers, against the emulators of
# `payhost sandbox`. README.md beside this file walks through
# `payhost validate` and `payhost route` on it.
#
# Every credential is read with env(): README.md lists the variables and
# the sandbox's published test values. Nothing secret is written here.

payhost {
  listen     = "127.0.0.1:8080"
  public_url = "http://127.0.0.1:8080" # gateways call back at <public_url>/v1/callbacks/<type>/<name>
  plugin_dir = "./bin"                 # payhost-provider-<type> binaries (see README.md)
}

store "sqlite" {
  path = "payhost.db" # beside this file
}

# AppotaPay (Vietnam): VND only, bank transfers and cards on its hosted page.
provider "appotapay" "vn" {
  endpoint     = "http://127.0.0.1:8902"
  partner_code = "APPOTAPAY"
  api_key      = env("APPOTAPAY_API_KEY")
  secret_key   = env("APPOTAPAY_SECRET_KEY")
}

# Red Dot Payment (Singapore): cards, sale or authorization, any currency.
provider "reddot" "sg" {
  endpoint              = "http://127.0.0.1:8903"
  merchant_api_endpoint = "http://127.0.0.1:8903/instanpanel/api/payment"
  mid                   = "1000089029"
  secret_key            = env("REDDOT_SECRET_KEY")
  unique_order_id       = true # the sandbox's MID enforces unique order ids
}

# RedotPay's card API. It exists only in the emulator's "seed" profile
# (see plugins/redotpay/README.md): fine for a sandbox, never for money.
provider "redotpay" "cards" {
  endpoint      = "http://127.0.0.1:8901"
  protocol      = "seed"
  methods       = ["card"]
  merchant_code = "ID00001"
  merchant_key  = env("REDOTPAY_SEED_MERCHANT_KEY")
  secret_key    = env("REDOTPAY_SEED_SECRET_KEY")
}

# RedotPay Connect, the official crypto checkout: wallet and QR payments.
provider "redotpay" "checkout" {
  endpoint            = "http://127.0.0.1:8901"
  app_key             = "4CA7B705-8EF5-4AC3-A0B6-9A4B84EF13B6"
  private_key         = env("REDOTPAY_PRIVATE_KEY") # a PEM; sensitive, never printed
  platform_public_key = file("../../internal/sandbox/redotpay/keys/redotpay_test_public.pem")
}

merchant "acme" {
  api_key = env("ACME_API_KEY")

  # Routes are tried in the order written; the first whose `when` is true
  # decides, and later routes are not consulted. There is deliberately no
  # catch-all route at the end: a payment that matches nothing (a bank
  # transfer in EUR, say) is refused with an error naming the merchant,
  # rather than sent somewhere nobody planned. `payhost validate` warns
  # about that ("No route matches every payment").

  # Currency rule: Vietnamese dong goes to AppotaPay, whatever the method.
  # A VND payment AppotaPay cannot take (a QR payment) is refused: this
  # route matched, so no later route is tried.
  route "vietnam" {
    when      = payment.currency == "VND"
    providers = [provider.appotapay.vn]
  }

  # Currency and method rule with a weighted split: card payments in SGD
  # are shared 70/30 between Red Dot and RedotPay's card API. The share is
  # decided per payment id (a hash of it), so a retried payment goes to
  # the same provider; the other split provider is its fallback.
  route "sgd-cards" {
    when = payment.currency == "SGD" && payment.method == "card"
    split {
      provider = provider.reddot.sg
      weight   = 70
    }
    split {
      provider = provider.redotpay.cards
      weight   = 30
    }
  }

  # Method rule with a fallback list: every other card payment tries
  # RedotPay's card API first and Red Dot second, in the order written.
  # payhost moves to the next provider only when the first reports that
  # the request certainly did not reach its gateway (not_sent).
  route "cards" {
    when      = payment.method == "card"
    providers = [provider.redotpay.cards, provider.reddot.sg]
  }

  # Method rule: wallets and QR codes go to RedotPay's crypto checkout.
  route "crypto" {
    when      = contains(["wallet", "qr"], payment.method)
    providers = [provider.redotpay.checkout]
  }
}
