# This file is maintained automatically by "payhost init".
# Manual edits may be lost in future updates.

provider "appotapay" {
  version  = "0.1.0"
  protocol = 1
  sha256   = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
}

provider "reddot" {
  version  = "1.2.3-beta.1"
  protocol = 1
  sha256   = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
}
