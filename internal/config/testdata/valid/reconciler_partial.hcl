# A reconciler block that sets one attribute: the others keep their
# defaults (zero in the configuration).
payhost {
  reconciler {
    schedule = ["2m"]
  }
}
