// Generates a Terraform module of dreamhost_dns_record blocks, mixing record
// types as a real zone does. Deterministic: the same count gives the same file.
const TYPES = [
  (i) => ['A', `192.0.2.${i % 250}`],
  (i) => ['AAAA', `2001:db8::${(i % 65535).toString(16)}`],
  (i) => ['CNAME', `target${i}.example.net`],
  (i) => ['MX', `${10 + (i % 5) * 10} mx${i % 3}.example.net`],
  (i) => ['TXT', `v=spf1 include:spf${i}.example.net -all`],
];

/** `prefix` namespaces the resource names and host names, for several such files in one module. */
export function generateModule(count, prefix = '') {
  let text = 'terraform {\n  required_providers {\n    dreamhost = {\n      source  = "adamantal/dreamhost"\n      version = "~> 0.3"\n    }\n  }\n}\n\n';
  for (let i = 0; i < count; i++) {
    const [type, value] = TYPES[i % TYPES.length](i);
    text += `resource "dreamhost_dns_record" "${prefix}r${i}" {\n  record = "${prefix}host${i}.example.com"\n  type   = "${type}"\n  value  = "${value}"\n}\n\n`;
  }
  return text;
}

/**
 * A Pulumi program of about `lines` lines in Python or TypeScript: sites, each
 * a Project, two Environments and a Variable through the Lagoon SDK, with a
 * helper function per site as real programs have. Deterministic.
 */
export function generateProgram(lines, language) {
  const python = language === 'python';
  let text = python
    ? 'import pulumi\nimport pulumi_lagoon as lagoon\nfrom pulumi_lagoon import Environment, EnvironmentArgs, Project, ProjectArgs, Variable\n\nconfig = pulumi.Config()\n\n'
    : 'import * as pulumi from "@pulumi/pulumi";\nimport * as lagoon from "@tag1consulting/pulumi-lagoon";\n\nconst config = new pulumi.Config();\n\n';
  for (let i = 0; text.split('\n').length < lines; i++) {
    text += python
      ? `def site_${i}(target):
    project = Project(
        "site-${i}",
        ProjectArgs(
            name="site-${i}",
            git_url="git@github.com:agency/site-${i}.git",
            deploytarget_id=target,
            production_environment="main",
            branches="^(main|develop)$",
        ),
    )
    for env, kind in [("main", "production"), ("develop", "development")]:
        Environment(
            f"site-${i}-{env}",
            EnvironmentArgs(name=env, project_id=project.lagoon_id, deploy_type="branch", environment_type=kind),
        )
    Variable("site-${i}-url", name="SITE_URL", value="https://site-${i}.agency.example", project_id=project.lagoon_id, scope="runtime")
    return project


site_${i}(config.require_int("deploytargetId"))

`
      : `function site${i}(target: number) {
    const project = new lagoon.lagoon.Project("site-${i}", {
        name: "site-${i}",
        gitUrl: "git@github.com:agency/site-${i}.git",
        deploytargetId: target,
        productionEnvironment: "main",
        branches: "^(main|develop)$",
    });
    for (const [env, kind] of [["main", "production"], ["develop", "development"]]) {
        new lagoon.Environment(\`site-${i}-\${env}\`, {
            name: env,
            projectId: project.lagoonId,
            deployType: "branch",
            environmentType: kind,
        });
    }
    new lagoon.Variable("site-${i}-url", { name: "SITE_URL", value: "https://site-${i}.agency.example", projectId: project.lagoonId, scope: "runtime" });
    return project;
}
site${i}(config.requireNumber("deploytargetId"));

`;
  }
  return text;
}

/**
 * The same records as generateModule, as aws_route53_record blocks of one
 * hosted zone the module declares; `literalZone`: each names the zone by its
 * ID instead of referring to the zone resource.
 */
export function generateRoute53Module(count, { literalZone = false } = {}) {
  let text =
    'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 6.0"\n    }\n  }\n}\n\nresource "aws_route53_zone" "main" {\n  name = "example.com"\n}\n\n';
  for (let i = 0; i < count; i++) {
    const [type, value] = TYPES[i % TYPES.length](i);
    text += `resource "aws_route53_record" "r${i}" {\n  zone_id = ${literalZone ? '"Z0123456789ABCDEFGHIJ"' : 'aws_route53_zone.main.zone_id'}\n  name    = "host${i}"\n  type    = "${type}"\n  ttl     = 300\n  records = ["${value}"]\n}\n\n`;
  }
  return text;
}
