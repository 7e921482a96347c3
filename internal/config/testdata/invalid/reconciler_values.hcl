payhost {
  call_timeout     = "30"  # ERROR: Invalid duration
  idempotency_wait = "-1s" # ERROR: Invalid duration

  reconciler {
    schedule = [
      "1m",
      "0s", # ERROR: Invalid duration
      "30m",
      "10m", # ERROR: Decreasing reconciler schedule
      "1d",  # ERROR: Invalid duration
      "10m",
    ]
    interval        = "0"   # ERROR: Invalid duration
    action_age      = 24    # ERROR: Invalid duration
    not_found_after = null  # ERROR: Invalid null value
  }
}
