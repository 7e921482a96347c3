store "postgress" { # ERROR: Unsupported store type
  dsn = "postgres://localhost/payhost"
}
