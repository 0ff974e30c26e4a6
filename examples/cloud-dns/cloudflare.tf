resource "cloudflare_zone" "shop" {
  account = {
    id = "023e105f4ecef8ad9ca31a8372d0c353"
  }
  name = "example.com"
}

# A CNAME at the apex: Cloudflare flattens it, and Shoreline says so.
resource "cloudflare_dns_record" "apex" {
  zone_id = cloudflare_zone.shop.id
  name    = "@"
  type    = "CNAME"
  content = "shop.pages.dev"
  ttl     = 1
  proxied = true
}

# Only A, AAAA and CNAME records can be proxied.
resource "cloudflare_dns_record" "spf" {
  zone_id = cloudflare_zone.shop.id
  name    = "@"
  type    = "TXT"
  content = "v=spf1 include:_spf.example.net -all"
  ttl     = 3600
  proxied = true
}

# A TTL Cloudflare refuses: 1 (automatic) or 60 to 86400 seconds (30 in Enterprise zones).
resource "cloudflare_dns_record" "www" {
  zone_id = cloudflare_zone.shop.id
  name    = "www"
  type    = "A"
  content = "192.0.2.30"
  ttl     = 5
}
