# The quickstart: one shop taking payments through the three shipped
# providers, against the gateway emulators of `payhost sandbox`.
# `make quickstart` (scripts/quickstart.sh) runs it end to end; README.md
# beside this file explains each step and how to run it by hand.
#
# Secrets are never written here: every credential is read with env(),
# and the script exports the sandbox's published test credentials.
#
# Addresses read `try(env("QUICKSTART_..."), "<default>")`: the default is
# where `payhost sandbox` listens; the script sets the variable only when
# it is asked to use other ports (its test does, to run beside anything).

payhost {
  listen = try(env("QUICKSTART_LISTEN"), "127.0.0.1:8080")
  # Gateways call back at <public_url>/v1/callbacks/<type>/<name>.
  public_url = try(env("QUICKSTART_PUBLIC_URL"), "http://127.0.0.1:8080")
  log_level  = "info"
  # No plugin_dir: payhost finds payhost-provider-<type> beside its own
  # executable, and the script builds them all into ./bin.
}

# The embedded store. The path is relative to this file's directory; the
# script runs payhost on a copy of this file in ./tmp/quickstart, so the
# database (and payhost.lock.hcl, written by `payhost init`) land there.
store "sqlite" {
  path = "payhost.db"
}

# AppotaPay (Vietnam): VND only, the customer pays on AppotaPay's hosted
# page and AppotaPay tells payhost by IPN. The sandbox partner account.
provider "appotapay" "vn" {
  endpoint     = try(env("QUICKSTART_APPOTAPAY_URL"), "http://127.0.0.1:8902")
  partner_code = "APPOTAPAY"
  api_key      = env("APPOTAPAY_API_KEY")    # sensitive: never printed
  secret_key   = env("APPOTAPAY_SECRET_KEY") # sensitive: never printed
}

# RedotPay Connect, the official RSA-signed crypto checkout: wallet and QR
# payments on RedotPay's checkout page, a signed webhook when paid.
provider "redotpay" "checkout" {
  endpoint            = try(env("QUICKSTART_REDOTPAY_URL"), "http://127.0.0.1:8901")
  app_key             = "4CA7B705-8EF5-4AC3-A0B6-9A4B84EF13B6" # the emulator's test appKey
  private_key         = env("REDOTPAY_PRIVATE_KEY")            # the merchant's RSA key, PEM; sensitive
  platform_public_key = env("REDOTPAY_PLATFORM_PUBLIC_KEY")    # RedotPay's public key, PEM: verifies webhooks
}

# Red Dot Payment (Singapore): cards. A card payment sent without card
# data opens RDP's hosted page, where the customer types the card, so the
# card never touches the shop or payhost.
provider "reddot" "sg" {
  endpoint = try(env("QUICKSTART_REDDOT_URL"), "http://127.0.0.1:8903")
  # RDP's Merchant API (capture, void, refund), on the same emulator.
  merchant_api_endpoint = "${try(env("QUICKSTART_REDDOT_URL"), "http://127.0.0.1:8903")}/instanpanel/api/payment"
  mid                   = "1000089029"             # RDP's published test MID
  secret_key            = env("REDDOT_SECRET_KEY") # sensitive: never printed
  unique_order_id       = true                     # payhost sandbox runs this MID with unique order ids
}

# The shop: its API key (Authorization: Bearer ...) and where payhost sends
# its signed events. The demo (demo/) is the shop: it listens there.
merchant "shop" {
  api_key = env("SHOP_API_KEY")

  webhook {
    url    = try(env("QUICKSTART_WEBHOOK_URL"), "http://127.0.0.1:8090/payhost/events")
    secret = env("SHOP_WEBHOOK_SECRET") # signs Payhost-Signature; the shop verifies with it
  }

  # Routes are tried in order; the first whose `when` is true decides.

  # Vietnamese dong goes to AppotaPay, whatever the method.
  route "vietnam" {
    when      = payment.currency == "VND"
    providers = [provider.appotapay.vn]
  }

  # Wallets and QR codes go to RedotPay's crypto checkout.
  route "crypto" {
    when      = contains(["wallet", "qr"], payment.method)
    providers = [provider.redotpay.checkout]
  }

  # Every other payment is a card payment for Red Dot: the last route has
  # no `when`, so it matches every payment the routes above did not. A
  # payment Red Dot cannot take (a bank transfer in SGD) is refused with
  # the reason, rather than sent somewhere nobody planned.
  route "cards" {
    providers = [provider.reddot.sg]
  }
}
