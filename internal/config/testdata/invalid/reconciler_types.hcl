payhost {
  call_timeout = ["30s"] # ERROR: Incorrect attribute value type

  reconciler {
    schedule   = "1m"        # ERROR: Incorrect attribute value type
    action_age = "24 hours"  # ERROR: Invalid duration
  }
}
