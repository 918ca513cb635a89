"""Target `github-workflow`: a workflow that runs `envgen check` on pull requests and pushes.

It runs on pull requests and on pushes to the default branch only (ci.github.default_branch,
or a job `if:` comparing github.ref_name with the repository's default branch), one run per
ref at a time (`concurrency`), on ci.github.runs_on; it needs no secret, so fork and
Dependabot pull requests pass. With ci.github.check_with_policy it first applies the policy's
network environment through the composite action, credentials off (on GitHub-hosted runners a
corporate proxy would break its own install, so that is off by default). It grants
`contents: read` only, takes `timeout-minutes` from ci.timeout (10 without one), and installs
envgen in a bounded retry loop whose waits follow network.backoff and whose attempts are
network.retries + 1. Every third-party action is pinned by full commit SHA.
The install is pinned (ci.envgen: a version of envgen-policy from the policy's index, a git
commit, or a wheel with its sha256); without ci.envgen it is the version that rendered the file.
"""

from __future__ import annotations

import math
import shlex
from typing import Any

from envgen import __version__
from envgen.ci import jobtime
from envgen.formats.yamlout import Block, dump
from envgen.generators.base import RenderContext
from envgen.generators.github_actions import no_expression, whole_minutes
from envgen.schema.ci import GitHub
from envgen.schema.policy import Policy

NAME = "github-workflow"
DEFAULT_PATH = ".github/workflows/envgen-check.yml"
SUMMARY = "GitHub workflow: envgen check on PRs and pushes, via the composite action, with retries"
MODE = 0o644

CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"  # v4.2.2
SETUP_PYTHON = "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065"  # v5.6.0


#: The distribution on the package index; the command it installs is `envgen`.
DISTRIBUTION = "envgen-policy"


def requirement(policy: Policy) -> str:
    """The pinned requirement pip installs: a version, a git commit or a hash-checked wheel.

    pip checks a `#sha256=` fragment of a direct URL before installing (pip's Link.hash,
    "hash mismatch" otherwise), so a wheel can be pinned without a requirements file.
    """
    install = policy.ci.envgen if policy.ci is not None else None
    if install is not None and install.git is not None:
        return f"{DISTRIBUTION} @ git+{install.git}@{install.commit}"
    if install is not None and install.wheel is not None:
        return f"{DISTRIBUTION} @ {install.wheel}#sha256={install.sha256}"
    version = install.version if install is not None and install.version else __version__
    return f"{DISTRIBUTION}=={version}"


def install_script(policy: Policy) -> str:
    """pip install envgen, retried with exponential back-off, failing after the last attempt."""
    net = policy.network
    attempts = net.retries + 1
    first = max(1, math.ceil(net.backoff.min / 1000))
    cap = max(first, math.ceil(net.backoff.max / 1000))
    factor = net.backoff.factor
    return (
        f"attempt=1\n"
        f"delay={first}\n"
        f"until python -m pip install {shlex.quote(requirement(policy))}; do\n"
        f'  if [ "$attempt" -ge {attempts} ]; then\n'
        f'    echo "::error::pip install failed {attempts} times" >&2\n'
        f"    exit 1\n"
        f"  fi\n"
        f'  echo "attempt $attempt failed; retrying in ${{delay}}s" >&2\n'
        f'  sleep "$delay"\n'
        f"  attempt=$((attempt + 1))\n"
        f'  delay=$(awk -v d="$delay" \'BEGIN {{ d = d * {factor}; if (d > {cap}) d = {cap}; '
        f'printf "%d", d }}\')\n'
        f"done\n"
    )


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the workflow."""
    github = policy.ci.github if policy.ci is not None else GitHub()
    timeout = 10
    if policy.ci is not None and policy.ci.timeout is not None:
        timeout = whole_minutes(policy.ci.timeout)
    steps: list[dict[str, Any]] = [
        {"uses": CHECKOUT, "with": {"persist-credentials": False}},
        {"uses": SETUP_PYTHON, "with": {"python-version": "3.12"}},
    ]
    if github.check_with_policy:
        action_path = policy.targets.get("github-actions")
        if action_path is None:
            ctx.error(
                "ci.github.check_with_policy applies the policy through the composite action: "
                "add the github-actions target",
                ("ci", "github", "check_with_policy"),
            )
            return ""
        action_dir = action_path.rsplit("/", 1)[0] if "/" in action_path else "."
        use_action: dict[str, Any] = {"name": "Apply the envgen policy", "uses": f"./{action_dir}"}
        if jobtime.credentials_script(policy, github_env=True):
            # envgen check needs no secret: fork and Dependabot pull requests have none.
            use_action["with"] = {"credentials": "false"}
        steps.append(use_action)
    steps += [
        {
            "name": "Install envgen (retried with back-off)",
            "shell": "bash",
            "run": Block(no_expression(install_script(policy))),
        },
        {"name": "Generated files match the policy", "shell": "bash", "run": "envgen check"},
    ]
    job: dict[str, Any] = {"runs-on": _runs_on(github.runs_on), "timeout-minutes": timeout}
    push: dict[str, Any] = {}
    if github.default_branch is not None:
        push = {"branches": [github.default_branch]}
    else:
        # Pull requests, and pushes to the default branch only (the name is not known here):
        # a feature branch with an open pull request is checked once, not twice.
        job["if"] = (
            "github.event_name == 'pull_request' || "
            "github.ref_name == github.event.repository.default_branch"
        )
    job["steps"] = steps
    doc = {
        "name": "envgen check",
        "on": {"pull_request": {}, "push": push},
        "permissions": {"contents": "read"},
        "concurrency": {
            "group": "envgen-check-${{ github.workflow }}-${{ github.ref }}",
            "cancel-in-progress": True,
        },
        "jobs": {"envgen-check": job},
    }
    header = [
        ctx.marker("#")[2:],
        "GitHub runs it from .github/workflows/ (a file elsewhere is never run).",
        "It needs no secret: envgen check reads only the repository, so it passes on pull requests",
        "from forks and Dependabot.",
        "Pinned: actions/checkout v4.2.2, actions/setup-python v5.6.0 (full commit SHAs).",
    ]
    return dump(doc, header)


def _runs_on(labels: list[str]) -> str | list[str]:
    return labels[0] if len(labels) == 1 else list(labels)
