// Generates a Terraform module of dreamhost_dns_record blocks, mixing record
// types as a real zone does. Deterministic: the same count gives the same file.
const TYPES = [
  (i) => ['A', `192.0.2.${i % 250}`],
  (i) => ['AAAA', `2001:db8::${(i % 65535).toString(16)}`],
  (i) => ['CNAME', `target${i}.example.net`],
  (i) => ['MX', `${10 + (i % 5) * 10} mx${i % 3}.example.net`],
  (i) => ['TXT', `v=spf1 include:spf${i}.example.net -all`],
];

export function generateModule(count) {
  let text = 'terraform {\n  required_providers {\n    dreamhost = {\n      source  = "adamantal/dreamhost"\n      version = "~> 0.3"\n    }\n  }\n}\n\n';
  for (let i = 0; i < count; i++) {
    const [type, value] = TYPES[i % TYPES.length](i);
    text += `resource "dreamhost_dns_record" "r${i}" {\n  record = "host${i}.example.com"\n  type   = "${type}"\n  value  = "${value}"\n}\n\n`;
  }
  return text;
}
