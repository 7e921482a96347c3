payhost {
  reconciler {
    schedule  = []    # ERROR: Empty reconciler schedule
    intervall = "10s" # ERROR: Unsupported argument
    backoff {         # ERROR: Unsupported block type
    }
  }
  reconciler { # ERROR: Duplicate reconciler block
    interval = "10s"
  }
  reconciller { # ERROR: Unsupported block type
  }
}
