provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "acme"
}

merchant "acme" {
  api_key = env("ACME_API_KEY")

  route "other-variable" {
    when      = merchant.id == "acme" # ERROR: Invalid reference in when
    providers = [provider.redotpay.cards]
  }
  route "typo-field" {
    when      = payment.curency == "USD" # ERROR: Unsupported payment field
    providers = [provider.redotpay.cards]
  }
  route "not-bool" {
    when      = payment.currency # ERROR: Invalid when expression
    providers = [provider.redotpay.cards]
  }
  route "null" {
    when      = null # ERROR: Invalid when expression
    providers = [provider.redotpay.cards]
  }
  route "env" {
    when      = payment.currency == env("CURRENCY") # ERROR: Call to unknown function
    providers = [provider.redotpay.cards]
  }
  route "types" {
    when      = payment.amount > "lots" # ERROR: Invalid operand
    providers = [provider.redotpay.cards]
  }
  route "false" {
    when      = false # WARNING: Route never matches
    providers = [provider.redotpay.cards]
  }
  route "misspelled-method" {
    when      = payment.method == "crad" # WARNING: Route never matches
    providers = [provider.redotpay.cards]
  }
  route "all" {
    providers = [provider.redotpay.cards]
  }
}
