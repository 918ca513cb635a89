"""Policy sections `caches`, `docker`, `ci` and `runner`: what CI keeps and how it retries."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from envgen.schema.fields import After, Field, fail
from envgen.schema.model import Section
from envgen.schema.types import (
    Duration,
    Name,
    NumberText,
    PositiveInt,
    RegistryUrl,
    RelativePath,
    Text,
)

#: Every value of GitLab's own CI schema (`retry_errors`, as check-jsonschema 0.39 vendors it;
#: tests/conformance checks the list against that schema).
RetryWhen = Literal[
    "always",
    "unknown_failure",
    "script_failure",
    "api_failure",
    "stuck_or_timeout_failure",
    "stuck_pending_with_matching_runners",
    "stuck_pending_no_matching_runners",
    "no_updates_running",
    "no_updates_canceling",
    "runner_system_failure",
    "runner_configuration_error",
    "runner_external_dependency_failure",
    "runner_interrupted",
    "runner_unsupported",
    "stale_schedule",
    "job_execution_timeout",
    "server_timeout_running",
    "server_timeout_canceling",
    "archived_failure",
    "unmet_prerequisites",
    "scheduler_failure",
    "data_integrity_failure",
]


def _gitlab_version(value: str) -> str:
    if not re.fullmatch(r"[1-9][0-9]?\.[0-9]{1,2}", value):
        raise fail('a GitLab version is MAJOR.MINOR, e.g. "17.11" (quote it in YAML)')
    return value


class Caches(Section):
    """Tool caches CI keeps between jobs, under `dir`."""

    dir: RelativePath = Field(".cache", description="Cache directory, relative to the root.")
    npm: bool = Field(False, description="Keep npm's cache.")
    pip: bool = Field(False, description="Keep pip's cache (keyed on requirements.txt).")
    uv: bool = Field(False, description="Keep uv's cache (UV_CACHE_DIR, keyed on uv.lock).")
    poetry: bool = Field(
        False, description="Keep Poetry's cache (POETRY_CACHE_DIR, keyed on poetry.lock)."
    )
    go: bool = Field(False, description="Keep Go's module and build caches.")


class DockerDaemon(Section):
    """Docker daemon transfer tuning."""

    max_concurrent_downloads: PositiveInt | None = Field(None, description="Parallel pulls.")
    max_concurrent_uploads: PositiveInt | None = Field(None, description="Parallel pushes.")
    max_download_attempts: PositiveInt | None = Field(None, description="Attempts per layer.")


class Retry(Section):
    """GitLab `retry:` of a failed job."""

    max: int = Field(2, ge=0, le=2, description="Retries of a failed job, 0..2.")
    when: list[RetryWhen] = Field(
        default_factory=list, description="Failure kinds that are retried."
    )
    exit_codes: list[Annotated[int, Field(ge=0, le=255)]] = Field(
        default_factory=list,
        description="Retry a job whose script exited with one of these codes (GitLab 16.10+).",
    )


Attempt = Annotated[int, Field(ge=1, le=10)]


class Attempts(Section):
    """Runner-side attempts of job stages, 1..10."""

    get_sources: Attempt | None = Field(None, description="GET_SOURCES_ATTEMPTS.")
    artifact_download: Attempt | None = Field(None, description="ARTIFACT_DOWNLOAD_ATTEMPTS.")
    restore_cache: Attempt | None = Field(None, description="RESTORE_CACHE_ATTEMPTS.")
    executor_job_section: Attempt | None = Field(None, description="EXECUTOR_JOB_SECTION_ATTEMPTS.")


_RELEASE = re.compile(r"[0-9]+(\.[0-9]+){1,3}((a|b|rc)[0-9]+)?(\.post[0-9]+)?(\.dev[0-9]+)?")


def _version(value: str) -> str:
    if not _RELEASE.fullmatch(value):
        raise fail('a version is an exact release such as "0.1.0" (quote it in YAML)')
    return value


def _commit(value: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{40}", value):
        raise fail("a commit is the full 40-character hex SHA-1: a branch or tag can move")
    return value


def _sha256(value: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise fail("a sha256 is 64 lower-case hex characters (sha256sum FILE prints it)")
    return value


class EnvgenInstall(Section):
    """What the drift-check workflow installs: one pinned form of envgen's distribution.

    The distribution is `envgen-policy` (the command is `envgen`). Give exactly one of
    `version` (from the policy's index), `git` with `commit`, or `wheel` with `sha256`;
    without this section the workflow installs the version that rendered it.
    """

    version: Annotated[str, After(_version)] | None = Field(
        None, description='An exact release of envgen-policy from the index, e.g. "0.1.0".'
    )
    git: RegistryUrl | None = Field(
        None, description="A git repository URL of envgen's source (needs `commit`)."
    )
    commit: Annotated[str, After(_commit)] | None = Field(
        None, description="The full commit SHA to install from `git`."
    )
    wheel: RegistryUrl | None = Field(
        None, description="A wheel's URL (needs `sha256`; pip refuses other bytes)."
    )
    sha256: Annotated[str, After(_sha256)] | None = Field(
        None, description="The wheel's SHA-256, checked by pip before it installs."
    )


class GitHub(Section):
    """The drift-check workflow (github-workflow target) and the composite action."""

    runs_on: Annotated[list[Name], Field(min_length=1)] = Field(
        default_factory=lambda: ["ubuntu-latest"],
        description="Runner labels of the drift-check job (`runs-on`), e.g. [self-hosted, linux].",
    )
    default_branch: Name | None = Field(
        None,
        description="The branch whose pushes are checked (`push: branches`); without it the job "
        "runs on pushes to the repository's default branch only (a job `if:`).",
    )
    check_with_policy: bool = Field(
        False,
        description="The drift-check job applies the policy's network environment (proxies, "
        "index) through the composite action before installing envgen; leave off on "
        "GitHub-hosted runners, which cannot reach a corporate proxy. Credentials are never "
        "applied there: envgen check needs none.",
    )
    cache_segment_timeout: Duration = Field(
        600_000,
        description="SEGMENT_DOWNLOAD_TIMEOUT_MINS for actions/cache (whole minutes): a cache "
        "segment download that takes longer is abandoned as a cache miss instead of hanging.",
    )


class Ci(Section):
    """Settings shared by the GitLab CI and GitHub Actions targets."""

    timeout: Duration | None = Field(None, description="Job timeout.")
    retry: Retry | None = Field(None, description="Job retry on failure.")
    attempts: Attempts | None = Field(None, description="Runner-side stage attempts.")
    docker_in_docker: bool = Field(
        False,
        description="Jobs use a docker:dind service: its host name `docker` bypasses the proxy "
        "for every tool.",
    )
    gitlab_version: Annotated[str, After(_gitlab_version)] | None = Field(
        None,
        description='The oldest GitLab server the include must work on, e.g. "17.11": keys and '
        "values it does not know are refused.",
    )
    github: GitHub = Field(
        default_factory=GitHub, description="The GitHub workflow and composite action."
    )
    envgen: EnvgenInstall | None = Field(
        None,
        description="What the drift-check workflow installs (default: envgen-policy at the "
        "version that rendered it).",
    )


def _memory(value: str) -> str:
    if not re.fullmatch(r"[0-9]+[bkmg]?", value):
        raise fail("memory is a number with an optional b, k, m or g suffix, e.g. 512m")
    return value


class S3Cache(Section):
    """S3 cache location; credentials come from IAM or the runner's environment."""

    server: Text = Field(description="S3 endpoint host.")
    bucket: Text = Field(description="Bucket name.")
    region: Text | None = Field(None, description="Bucket region.")
    insecure: bool = Field(False, description="Use plain HTTP to the endpoint.")


class GcsCache(Section):
    """GCS cache location; credentials come from the runner's environment."""

    bucket: Text = Field(description="Bucket name.")


class AzureCache(Section):
    """Azure Blob cache location; credentials come from the runner's environment."""

    container: Text = Field(description="Container name.")
    account_name: Text | None = Field(None, description="Storage account name (not secret).")


class RunnerCache(Section):
    """Distributed runner cache, with no credentials in the file."""

    type: Literal["s3", "gcs", "azure"] = Field(description="Cache backend.")
    shared: bool = Field(False, description="Share the cache between runners.")
    path: Text | None = Field(None, description="Path prefix inside the bucket.")
    s3: S3Cache | None = Field(None, description="S3 settings (type: s3).")
    gcs: GcsCache | None = Field(None, description="GCS settings (type: gcs).")
    azure: AzureCache | None = Field(None, description="Azure settings (type: azure).")


class Runner(Section):
    """One GitLab Runner, for the gitlab-runner target."""

    name: Name = Field(description="Runner name.")
    url: RegistryUrl = Field(description="GitLab instance URL.")
    executor: Literal["docker", "shell"] = Field("docker", description="Executor.")
    concurrent: PositiveInt = Field(1, description="Jobs run at once.")
    image: Text | None = Field(None, description="Default job image (docker executor).")
    pull_policy: list[Literal["always", "never", "if-not-present"]] = Field(
        default_factory=list,
        description="Image pull policies, tried in order: [always, if-not-present] pulls and "
        "falls back to the local image when the registry cannot be reached.",
    )
    helper_image: Text | None = Field(
        None,
        description="The runner's helper image (docker executor), e.g. from the mirror every "
        "other image comes from; GitLab's registry otherwise.",
    )
    cpus: NumberText | None = Field(None, description='Container CPU limit, e.g. "1.5".')
    memory: Annotated[str, After(_memory)] | None = Field(
        None, description="Container memory limit, e.g. 512m."
    )
    cache: RunnerCache | None = Field(None, description="Distributed cache.")
