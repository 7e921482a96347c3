store "sqlite" {
  path = "a.db"
}

store "postgres" { # ERROR: Duplicate store block
  dsn = env("PAYHOST_PG_DSN")
}
