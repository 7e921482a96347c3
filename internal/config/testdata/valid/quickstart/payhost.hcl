# The example of ARCHITECTURE.md, split over three files.
payhost {
  listen     = "127.0.0.1:8080"
  public_url = "http://127.0.0.1:8080" # base of the callback URLs handed to gateways
  plugin_dir = "./bin"
  log_level  = "debug"
  log_format = "json"
}

store "sqlite" {
  path = "payhost.db"
}
