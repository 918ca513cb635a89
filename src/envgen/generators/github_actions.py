"""Target `github-actions`: a composite action that applies the policy inside a job.

Steps (docs/targets.md, GitHub Actions): export the environment to $GITHUB_ENV (proxies in
both cases, the tools' settings, cache dirs under the workspace), apply git's settings with
`git config --global`, write job-time credentials from variables the caller passes in
`env:` (never `secrets`, which composite actions cannot read), and restore each enabled tool
cache with actions/cache pinned by full commit SHA, keyed with hashFiles on its lock files.

Every value is written into bash single quotes, or double quotes where a ${NAME} reference must
expand; a literal '${{' is written as an expression that yields it, so GitHub never evaluates
policy text.
"""

from __future__ import annotations

from typing import Any

from envgen.ci import caches, githubenv, jobtime
from envgen.ci.variables import dind_note
from envgen.ci.variables import variables as ci_variables
from envgen.formats.shell import sh_word
from envgen.formats.yamlout import Block, dump
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.tools import git
from envgen.tools.base import EnvVar

NAME = "github-actions"
DEFAULT_PATH = ".github/actions/envgen/action.yml"
SUMMARY = "GitHub composite action: exports the environment, credentials, pinned actions/cache"
MODE = 0o644

#: Third-party actions, pinned by full commit SHA (the comment names the release).
CACHE_ACTION = "actions/cache@5a3ec84eff668545956fd18022155c47e93e2684"  # v4.2.3
CACHE_VERSION = "v4.2.3"


#: actions/cache's limit on one segment download, in minutes.
SEGMENT_TIMEOUT = "SEGMENT_DOWNLOAD_TIMEOUT_MINS"


def whole_minutes(ms: int) -> int:
    """A duration in whole minutes, at least one (rounded up)."""
    return max(1, -(-ms // 60_000))


def no_expression(text: str) -> str:
    """`text` with every '${{' made inert: GitHub evaluates ${{ }} before bash runs."""
    return text.replace("${{", "${{ '${{' }}")


def export_script(variables: list[EnvVar]) -> str:
    """Lines appending each variable to $GITHUB_ENV in the delimiter form (`ci.githubenv`)."""
    pairs = [(var.name, sh_word(var.value)) for var in variables]
    lines = githubenv.block(pairs)
    if any(word.startswith("'") and "$" in word for _, word in pairs):
        # A policy value with a literal '$' is single-quoted on purpose (shellcheck SC2016).
        lines.insert(0, "# shellcheck disable=SC2016  # literal '$' in policy values, on purpose")
    return no_expression("\n".join(lines)) + "\n"


def caller_refs(policy: Policy, variables: list[EnvVar]) -> list[str]:
    """Every variable the action reads from the caller's env: block, in a stable order."""
    names: list[str] = []
    script = jobtime.credentials_script(policy, github_env=True)
    for text in [*(v.value for v in variables), script]:
        for name in jobtime.SCRIPT_REF.findall(text):
            if name not in names and name != "GITHUB_WORKSPACE":
                names.append(name)
    return names


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render action.yml."""
    variables = ci_variables(policy, "${GITHUB_WORKSPACE}")
    if caches.enabled_caches(policy):
        # actions/cache otherwise waits on a stuck segment download (actions/cache README,
        # "Cache segment restore timeout"; its default is 10 minutes).
        minutes = whole_minutes(policy.ci.github.cache_segment_timeout if policy.ci else 600_000)
        variables.append(EnvVar(SEGMENT_TIMEOUT, str(minutes), ("ci", "github")))
    steps: list[dict[str, Any]] = [
        {
            "name": "Export the envgen environment",
            "shell": "bash",
            "run": Block(export_script(variables)),
        }
    ]
    git_commands = git.global_config_commands(git.settings(policy))
    if git_commands:
        steps.append(
            {
                "name": "git settings (HTTP version, stall detection)",
                "shell": "bash",
                "run": Block("\n".join(git_commands) + "\n"),
            }
        )
    bundle = jobtime.ca_bundle_script(policy, "${GITHUB_WORKSPACE}", github_env=True)
    if bundle:
        steps.append(
            {
                "name": "CA bundle (system roots + network.ca_file)",
                "shell": "bash",
                "run": Block(no_expression(bundle)),
            }
        )
    script = jobtime.credentials_script(policy, github_env=True)
    if script:
        steps.append(
            {
                "name": "Job-time credentials",
                "if": "inputs.credentials == 'true'",
                "shell": "bash",
                "run": Block(no_expression(script)),
            }
        )
    for cache in caches.enabled_caches(policy):
        patterns = ", ".join(f"'**/{f}'" for f in cache.lock_files)
        prefix = f"envgen-{cache.tool}-${{{{ runner.os }}}}-"
        paths = "\n".join(
            # The policy's text never becomes a GitHub expression, here as in the scripts.
            f"${{{{ github.workspace }}}}/{no_expression(caches.cache_dir(policy, sub))}"
            for _, sub in cache.dirs
        )
        steps.append(
            {
                "name": f"Restore the {cache.tool} cache",
                "uses": CACHE_ACTION,
                "with": {
                    "path": Block(paths + "\n"),
                    "key": f"{prefix}${{{{ hashFiles({patterns}) }}}}",
                    "restore-keys": Block(prefix + "\n"),
                },
            }
        )
    refs = caller_refs(policy, variables)
    header = [ctx.marker("#")[2:], f"Use in a job step: uses: ./{ctx.path.rsplit('/', 1)[0]}"]
    if refs:
        header.append("with the secrets it needs passed in the step's env: block:")
        header.append("  env:")
        header += [f"    {name}: ${{{{ secrets.{name} }}}}" for name in refs]
        header.append("The credentials step exports tokens to every later step of the job; a")
        header.append("job that needs none (fork pull requests, envgen check) passes")
        header.append("  with: {credentials: 'false'}")
    header.append(f"actions/cache is pinned to a full commit SHA ({CACHE_VERSION}).")
    if dind_note(policy):
        header.append(dind_note(policy))
    doc: dict[str, Any] = {
        "name": "envgen",
        "description": "Proxies, registries, retries, credentials and tool caches from envgen.yaml",
    }
    if script:
        doc["inputs"] = {
            "credentials": {
                "description": "Write the job-time credentials (~/.netrc, tokens exported to later "
                "steps); 'false' for jobs that need none, such as pull requests from forks",
                "required": False,
                "default": "true",
            }
        }
    doc["runs"] = {"using": "composite", "steps": steps}
    return dump(doc, header)
