provider "appotapy" "vn" { # ERROR: Provider plugin unavailable
  endpoint = "http://127.0.0.1:8902"
}

provider "appotapy" "vn2" {
  endpoint = "http://127.0.0.1:8902"
}
