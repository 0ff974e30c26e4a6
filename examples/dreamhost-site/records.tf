resource "dreamhost_dns_record" "apex" {
  record = "example.com"
  type   = "A"
  value  = "192.0.2.10"
}

resource "dreamhost_dns_record" "apex_v6" {
  record = "example.com"
  type   = "AAAA"
  value  = "2001:0db8:0000:0000:0000:0000:0000:0010"
}

# "www" is an alias of the apex ...
resource "dreamhost_dns_record" "www" {
  record = "www.example.com"
  type   = "CNAME"
  value  = "example.com"
}

# ... so it cannot also carry a TXT record (RFC 1034 §3.6.2).
resource "dreamhost_dns_record" "www_verification" {
  record = "www.example.com"
  type   = "TXT"
  value  = "google-site-verification=3H2d8Qx"
}

resource "dreamhost_dns_record" "shop" {
  record = "shop.example.com"
  type   = "A"
  value  = "198.51.100.017"
}

resource "dreamhost_dns_record" "xmpp" {
  record = "xmpp.example.com"
  type   = "SRV"
  value  = "5 0 5222 chat.example.com"
}

resource "dreamhost_dns_record" "blog" {
  record = "Blog.Example.com"
  type   = "cname"
  value  = "example.github.io"
}

resource "dreamhost_dns_record" "caa" {
  record = "example.com"
  type   = "CAA"
  value  = "0 issue \"letsencrypt.org\""
}
