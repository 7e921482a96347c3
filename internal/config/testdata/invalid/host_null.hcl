payhost {
  listen = null # ERROR: Invalid null value
}
