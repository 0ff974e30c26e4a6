terraform {
  required_version = ">= 1.5.0"

  required_providers {
    dreamhost = {
      source  = "adamantal/dreamhost"
      version = "~> 0.3"
    }
  }
}

provider "dreamhost" {
  # A key in plain text: Shoreline warns, use a sensitive variable instead.
  api_key = "6SHU5P2HLDAYECUM"
}
