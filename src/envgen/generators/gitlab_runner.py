"""Target `gitlab-runner`: a config.toml template for `gitlab-runner register --template-config`.

Written with a TOML writer (tomli-w), never by string pasting. Reads `runner:` (docs/contract.md),
the proxy (each job's `environment`, both letter cases, NO_PROXY in the portable form; a '$'
is written '$$' since the runner expands job variables there), git's settings (a
pre_get_sources_script, e.g. forcing HTTP/1.1 before the runner clones) and caches (the /cache
volume).

No credentials: the runner token is added by `gitlab-runner register` (see the README), and the
distributed cache authenticates from the runner's environment or IAM: S3 gets
`AuthenticationType = "iam"`, GCS and Azure no key fields at all.
"""

from __future__ import annotations

from typing import Any

import tomli_w

from envgen.formats.shell import gitlab_value
from envgen.generators.base import RenderContext
from envgen.schema.ci import Runner
from envgen.schema.policy import Policy
from envgen.tools import git, proxyenv

NAME = "gitlab-runner"
DEFAULT_PATH = "gitlab-runner/config.toml"
SUMMARY = "GitLab Runner config.toml template: concurrent, [[runners]] env/docker/cache, no secrets"
MODE = 0o600


def _cache(runner: Runner) -> dict[str, Any] | None:
    cache = runner.cache
    if cache is None:
        return None
    table: dict[str, Any] = {"Type": cache.type, "Shared": cache.shared}
    if cache.path is not None:
        table["Path"] = cache.path
    if cache.type == "s3" and cache.s3 is not None:
        s3: dict[str, Any] = {
            "ServerAddress": cache.s3.server,
            "BucketName": cache.s3.bucket,
            "AuthenticationType": "iam",
        }
        if cache.s3.region is not None:
            s3["BucketLocation"] = cache.s3.region
        if cache.s3.insecure:
            s3["Insecure"] = True
        table["s3"] = s3
    elif cache.type == "gcs" and cache.gcs is not None:
        table["gcs"] = {"BucketName": cache.gcs.bucket}
    elif cache.type == "azure" and cache.azure is not None:
        azure = {"ContainerName": cache.azure.container}
        if cache.azure.account_name is not None:
            azure["AccountName"] = cache.azure.account_name
        table["azure"] = azure
    return table


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render config.toml."""
    runner = policy.runner
    if runner is None:
        ctx.error("the gitlab-runner target needs a `runner:` section", ("targets", NAME))
        return ""
    entry: dict[str, Any] = {"name": runner.name, "url": runner.url, "executor": runner.executor}
    env = [f"{v.name}={gitlab_value(v.value)}" for v in proxyenv.variables(policy)]
    if env:
        entry["environment"] = env
    git_commands = git.global_config_commands(git.settings(policy))
    if git_commands:
        entry["pre_get_sources_script"] = "\n".join(git_commands)
    if runner.executor == "docker":
        docker: dict[str, Any] = {"image": runner.image or "alpine:latest", "volumes": ["/cache"]}
        if runner.image is None:
            ctx.warn(
                "runner.image is not set: the docker executor needs one; using alpine:latest",
                ("runner",),
                code="EG210",
            )
        if runner.pull_policy:
            docker["pull_policy"] = list(runner.pull_policy)
        if runner.helper_image is not None:
            docker["helper_image"] = runner.helper_image
        if runner.cpus is not None:
            docker["cpus"] = runner.cpus
        if runner.memory is not None:
            docker["memory"] = runner.memory
        entry["docker"] = docker
    cache = _cache(runner)
    if cache is not None:
        entry["cache"] = cache
    doc = {"concurrent": runner.concurrent, "runners": [entry]}
    header = (
        f"{ctx.marker('#')}\n"
        '# A template: gitlab-runner register --template-config THIS_FILE --token "$RUNNER_TOKEN"\n'
        "# adds the runner token; cache credentials come from IAM or the runner's environment.\n"
    )
    return header + tomli_w.dumps(doc)
