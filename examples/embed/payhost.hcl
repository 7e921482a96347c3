# The payhost configuration of the embedding example: one card provider,
# Red Dot Payment, against its emulator from `payhost sandbox`. README.md
# beside this file says how to run it. Credentials come from env().

payhost {
  # The shop mounts payhost's HTTP API under /payhost, so gateways call
  # back at http://127.0.0.1:8080/payhost/v1/callbacks/reddot/sg.
  public_url = "http://127.0.0.1:8080/payhost"
  plugin_dir = "../../bin" # make build puts payhost-provider-* there
}

store "sqlite" {
  path = "shop-payhost.db" # beside this file
}

provider "reddot" "sg" {
  endpoint              = "http://127.0.0.1:8903"
  merchant_api_endpoint = "http://127.0.0.1:8903/instanpanel/api/payment"
  mid                   = "1000089029"
  secret_key            = env("REDDOT_SECRET_KEY")
  unique_order_id       = true
}

merchant "acme" {
  # The shop's other services call payhost's HTTP API with this key; the
  # shop's own handlers use the Go API and need none.
  api_key = env("ACME_API_KEY")

  route "cards" {
    providers = [provider.reddot.sg]
  }
}
