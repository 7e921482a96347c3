payhost {
  listen     = "127.0.0.1:99999"    # ERROR: Invalid listen address
  public_url = "https:///callbacks" # ERROR: Invalid public URL
  log_level  = ["info"]             # ERROR: Incorrect attribute value type
}
