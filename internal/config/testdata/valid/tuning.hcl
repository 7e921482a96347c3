# Every attribute that tunes the engine; the host's Options take them.
payhost {
  listen           = "127.0.0.1:8080"
  call_timeout     = "45s"
  idempotency_wait = "2s"

  reconciler {
    schedule        = ["30s", "5m", "5m", "1h30m", "24h"] # the last repeats
    interval        = "5s"
    action_age      = "12h"
    not_found_after = "2h"
  }
}
