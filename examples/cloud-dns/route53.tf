resource "aws_route53_zone" "main" {
  name = "example.org"
}

resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "www"
  type    = "CNAME"
  ttl     = 300
  records = ["site.example.net"]
}

# A verification record at the same name as the CNAME: a CNAME must be alone at its name.
resource "aws_route53_record" "www_verify" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "www.example.org"
  type    = "TXT"
  ttl     = 300
  records = ["verification=4f1c2a"]
}

# The MX preference is missing.
resource "aws_route53_record" "mx" {
  zone_id = aws_route53_zone.main.zone_id
  name    = ""
  type    = "MX"
  ttl     = 3600
  records = ["mail.example.org"]
}

resource "aws_route53_record" "api_blue" {
  zone_id        = aws_route53_zone.main.zone_id
  name           = "api"
  type           = "A"
  ttl            = 60
  records        = ["192.0.2.10"]
  set_identifier = "blue"

  weighted_routing_policy {
    weight = 90
  }
}

# A routing policy without set_identifier.
resource "aws_route53_record" "api_green" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "api"
  type    = "A"
  ttl     = 60
  records = ["192.0.2.20"]

  weighted_routing_policy {
    weight = 10
  }
}
