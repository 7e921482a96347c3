merchant "acme" {
  api_key = "LEAK\qkey" # ERROR: Invalid escape sequence
}
