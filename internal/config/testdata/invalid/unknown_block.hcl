merchnt "acme" { # ERROR: Unsupported block type
}
