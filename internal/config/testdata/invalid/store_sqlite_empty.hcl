store "sqlite" {
  path = "" # ERROR: Empty path
}
