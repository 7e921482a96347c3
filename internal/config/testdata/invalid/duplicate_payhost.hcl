payhost {
  listen = "127.0.0.1:8080"
}

payhost { # ERROR: Duplicate payhost block
  listen = "127.0.0.1:8081"
}
