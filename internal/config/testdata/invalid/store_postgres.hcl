store "postgres" { # ERROR: Missing required argument
  path = "payhost.db" # ERROR: Unsupported argument
}
