merchant "acme" {
  api_key = env("ACME_API_KEY")
  webhook {
    url    = "https://acme.example/payhost/events"
    secret = env("ACME_WEBHOOK_SECRET")
  }

  route "vietnam" {
    when      = payment.currency == "VND"
    providers = [provider.appotapay.vn]
  }
  route "cards" {
    when = payment.method == "card"
    split {
      provider = provider.reddot.sg
      weight   = 70
    }
    split {
      provider = provider.redotpay.cards
      weight   = 30
    }
  }
  route "default" {
    providers = [provider.redotpay.cards, provider.reddot.sg]
  }
}
