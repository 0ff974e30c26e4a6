"""A Lagoon project, its environments and a notification, in Python."""

import pulumi
from pulumi_lagoon import (
    Environment,
    EnvironmentArgs,
    NotificationSlack,
    Project,
    ProjectArgs,
    Variable,
)

config = pulumi.Config()
deploytarget_id = config.require_int("deploytargetId")

site = Project(
    "agency-site",
    ProjectArgs(
        name="agency-site",
        git_url="git@github.com:agency/site.git",
        deploytarget_id=deploytarget_id,
        production_environment="main",
        branches="^(develop|feature/.*)$",
    ),
)

for branch, kind in [("main", "production"), ("develop", "development")]:
    Environment(
        f"agency-site-{branch}",
        EnvironmentArgs(
            name=branch,
            project_id=site.lagoon_id,
            deploy_type="branch",
            environment_type=kind,
        ),
    )

Variable(
    "agency-site-smtp",
    name="SMTP_PASSWORD",
    value="hunter2-but-longer-1234",
    project_id=site.lagoon_id,
    scope="runtime",
)

NotificationSlack(
    "agency-deploys",
    name="agency-deploys",
    webhook=config.require_secret("slackWebhook"),
    chanel="#deploys",
)
