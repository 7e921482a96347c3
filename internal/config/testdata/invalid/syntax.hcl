merchant "acme" {
  api_key = env("ACME_API_KEY")
  route "all" {
    providers = [provider.redotpay.cards] +  # ERROR: Invalid expression
  }
}
