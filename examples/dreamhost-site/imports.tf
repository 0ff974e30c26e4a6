# Bring the record DreamHost created for the apex under Terraform's control.
import {
  to = dreamhost_dns_record.apex
  id = "A|example.com|192.0.2.1"
}

data "dreamhost_dns_records" "all_a" {
  filter {
    type = "A"
  }
}
