payhost {
  listen     = "localhost"        # ERROR: Invalid listen address
  public_url = "ftp://pay.example" # ERROR: Invalid public URL
  log_level  = "verbose"          # ERROR: Invalid log level
  log_format = "xml"              # ERROR: Invalid log format
  plugin_dir = 42
}
