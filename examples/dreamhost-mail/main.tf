terraform {
  required_providers {
    dreamhost = {
      source  = "adamantal/dreamhost"
      version = ">= 0.3.0, < 1.0.0"
    }
  }
}

variable "dreamhost_api_key" {
  type      = string
  sensitive = true
}

provider "dreamhost" {
  api_key = var.dreamhost_api_key
}

locals {
  domain = "example.org"
}

resource "dreamhost_dns_record" "mx_primary" {
  record = "example.org"
  type   = "MX"
  value  = "10 mx1.mail.example.net"
}

resource "dreamhost_dns_record" "mx_backup" {
  record = "example.org"
  type   = "MX"
  value  = "20 mx2.mail.example.net"
}

resource "dreamhost_dns_record" "spf" {
  record = "example.org"
  type   = "TXT"
  value  = "v=spf1 include:netblocks.dreamhost.com -all"
}

resource "dreamhost_dns_record" "dmarc" {
  record = "_dmarc.example.org"
  type   = "TXT"
  value  = "v=DMARC1; p=quarantine; rua=mailto:postmaster@example.org"
}

resource "dreamhost_dns_record" "dkim" {
  record = "dreamhost._domainkey.example.org"
  type   = "TXT"
  value  = "\"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu3f8Pj2Bw\" \"Qk8p1X2v3m4n5b6v7c8x9z0a1s2d3f4g5h6j7k8l9IDAQAB\""
}

resource "dreamhost_dns_record" "submission" {
  record = "_submission._tcp.example.org"
  type   = "SRV"
  value  = "0 1 587 smtp.mail.example.net"
}

resource "dreamhost_dns_record" "webmail" {
  record = "webmail.${local.domain}"
  type   = "CNAME"
  value  = "webmail.mail.example.net"
}

data "dreamhost_dns_record" "apex" {
  record = "example.org"
  type   = "A"
}

output "apex_address" {
  value = data.dreamhost_dns_record.apex.value
}
