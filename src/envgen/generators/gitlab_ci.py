"""Target `gitlab-ci`: an include file for .gitlab-ci.yml (docs/targets.md, GitLab CI).

Users add ``include: [{local: <path>}]`` and let jobs ``extends:`` the hidden templates.
Top level: `variables` (the environment of `envgen env` with NO_PROXY in the portable form,
tool cache dirs under $CI_PROJECT_DIR, the runner's *_ATTEMPTS), `default` (retry, timeout).
Templates: `.envgen-credentials` (a before_script that writes ~/.netrc for private Go hosts,
composes PIP_EXTRA_INDEX_URL from ${NAME} CI variables, and builds the CA bundle of the
image's roots plus network.ca_file, all at job time), and one `.envgen-cache-<tool>` per
enabled cache, keyed per branch with the default branch's cache as fallback, its pull-only
variant `.envgen-cache-<tool>-pull`, and `.envgen-caches`/`.envgen-caches-pull` with up to
four of them (a job's `cache:` list is replaced, not merged, by extends). Jobs that extend no
`.envgen-credentials` get no credential step.

GitLab expands $VAR in `variables:` values: every literal '$' is written '$$'; the policy's
${NAME} references are kept, for GitLab to expand from CI/CD variables.
"""

from __future__ import annotations

from typing import Any

from envgen.ci import caches, jobtime
from envgen.ci.variables import dind_note
from envgen.ci.variables import variables as ci_variables
from envgen.formats.shell import gitlab_value
from envgen.formats.yamlout import dump
from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy
from envgen.tools.base import ToolCache

NAME = "gitlab-ci"
DEFAULT_PATH = ".gitlab/ci/envgen.yml"
SUMMARY = (
    "GitLab CI include: variables (proxies, caches, attempts), default retry/timeout, templates"
)
MODE = 0o644

_ATTEMPTS = (
    ("get_sources", "GET_SOURCES_ATTEMPTS"),
    ("artifact_download", "ARTIFACT_DOWNLOAD_ATTEMPTS"),
    ("restore_cache", "RESTORE_CACHE_ATTEMPTS"),
    ("executor_job_section", "EXECUTOR_JOB_SECTION_ATTEMPTS"),
)


def duration(ms: int) -> str:
    """A GitLab duration ("1h 30m", "45s") for a whole number of seconds."""
    seconds = ms // 1000
    parts = []
    for unit, size in (("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "1s"


#: GitLab's limit on `cache:` entries per job (docs.gitlab.com/ci/yaml, "cache").
MAX_CACHES = 4


def cache_entry(policy: Policy, cache: ToolCache, *, pull_only: bool = False) -> dict[str, Any]:
    """One `cache:` item, keyed per branch, falling back to the default branch's cache.

    A key made from lock files (`key:files`) misses on every lock change and its fallback cannot
    name a key any pipeline writes; a download cache is additive, so the branch's own cache, or
    else the one the default branch last wrote, is what a job wants (GitLab docs, "cache:
    fallback_keys"). `pull_only` is the variant for jobs that only read the cache.
    """
    entry: dict[str, Any] = {
        "key": f"{cache.tool}-$CI_COMMIT_REF_SLUG",
        "paths": [caches.cache_dir(policy, sub) for _, sub in cache.dirs],
        "fallback_keys": [f"{cache.tool}-$CI_DEFAULT_BRANCH"],
    }
    if pull_only:
        entry["policy"] = "pull"
    return entry


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the include file."""
    variables = {v.name: gitlab_value(v.value) for v in ci_variables(policy, "${CI_PROJECT_DIR}")}
    attempts = policy.ci.attempts if policy.ci is not None else None
    for field, name in _ATTEMPTS:
        value = getattr(attempts, field) if attempts is not None else None
        if value is not None:
            variables[name] = str(value)
    doc: dict[str, Any] = {"variables": variables}
    default: dict[str, Any] = {}
    if policy.ci is not None and policy.ci.retry is not None:
        retry: dict[str, Any] = {"max": policy.ci.retry.max}
        if policy.ci.retry.when:
            retry["when"] = list(policy.ci.retry.when)
        if policy.ci.retry.exit_codes:
            retry["exit_codes"] = list(policy.ci.retry.exit_codes)
        default["retry"] = retry
    if policy.ci is not None and policy.ci.timeout is not None:
        if policy.ci.timeout % 1000:
            ctx.warn(
                "GitLab timeouts are whole seconds: rounded down", ("ci", "timeout"), code="EG208"
            )
        default["timeout"] = duration(policy.ci.timeout)
    if default:
        doc["default"] = default
    script = jobtime.credentials_script(policy) + jobtime.ca_bundle_script(
        policy, "${CI_PROJECT_DIR}"
    )
    if script:
        doc[".envgen-credentials"] = {
            "before_script": [line for line in script.splitlines() if not line.startswith("#")]
        }
    enabled = caches.enabled_caches(policy)
    for cache in enabled:
        doc[f".envgen-cache-{cache.tool}"] = {"cache": [cache_entry(policy, cache)]}
        doc[f".envgen-cache-{cache.tool}-pull"] = {
            "cache": [cache_entry(policy, cache, pull_only=True)]
        }
    if len(enabled) > MAX_CACHES:
        left = ", ".join(c.tool for c in enabled[MAX_CACHES:])
        ctx.warn(
            f"a GitLab job takes at most {MAX_CACHES} caches: .envgen-caches leaves out {left}; "
            f"extend .envgen-cache-<tool> templates instead (one job, at most {MAX_CACHES})",
            ("caches",),
            code="EG207",
        )
    if enabled:
        doc[".envgen-caches"] = {"cache": [cache_entry(policy, c) for c in enabled[:4]]}
        doc[".envgen-caches-pull"] = {
            "cache": [cache_entry(policy, c, pull_only=True) for c in enabled[:4]]
        }
    templates = [k for k in doc if k.startswith(".")]
    header = [
        ctx.marker("#")[2:],
        f'Use: include: [{{local: "{ctx.path}"}}], then in a job: extends: [{", ".join(templates)}]'
        if templates
        else f'Use: include: [{{local: "{ctx.path}"}}]',
        (
            "A job with its own before_script keeps this job-time setup with: "
            "!reference [.envgen-credentials, before_script]"
        )
        if script
        else "",
        dind_note(policy),
        (
            f"Caches live under {caches.cache_dir(policy, '')}: add it to .dockerignore, or "
            "docker build sends them as build context. A branch falls back to the default "
            "branch's cache only where the project does not keep protected branches' caches "
            "apart (Settings > CI/CD > General pipelines)."
        )
        if enabled
        else "",
    ]
    return dump(doc, [h for h in header if h])
