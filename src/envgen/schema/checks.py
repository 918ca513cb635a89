"""Cross-field rules of policy v1 that no single field can check.

Pure: takes a validated Policy and returns a `Finding` (with its policy location) for each
problem, so that the caller can point at the exact value.
"""

from __future__ import annotations

import difflib
import fnmatch
import posixpath

from envgen.findings import Finding, error, warning
from envgen.schema.ci import Ci
from envgen.schema.policy import Policy
from envgen.schema.registries import Go
from envgen.secrets import excerpt
from envgen.sourcemap import Loc


def check_policy(policy: Policy, target_names: set[str]) -> list[Finding]:
    """Every cross-field problem of `policy`; `target_names` are the available targets."""
    return [
        *_targets(policy, target_names),
        *_registries(policy),
        *_network(policy),
        *_runner(policy),
        *_ci(policy),
    ]


#: GitLab versions that first accept a CI keyword envgen writes (docs.gitlab.com/ci/yaml:
#: `retry:exit_codes`, introduced in GitLab 16.10).
KEYWORD_SINCE = {"retry:exit_codes": (16, 10)}

#: `retry:when` values GitLab 19.0 introduced to replace stuck_or_timeout_failure
#: (gitlab-org/gitlab!230787, issue #595752; documented in !237556 and the 19.0 release notes):
#: an older server refuses them in the include.
WHEN_SINCE = dict.fromkeys(
    (
        "stuck_pending_with_matching_runners",
        "stuck_pending_no_matching_runners",
        "no_updates_running",
        "no_updates_canceling",
        "server_timeout_running",
        "server_timeout_canceling",
    ),
    (19, 0),
)

#: `retry:when` values a GitLab version keeps for old jobs only: from 19.0 no new failure is
#: stuck_or_timeout_failure, so retrying on it retries nothing (same sources).
WHEN_RETIRED = {"stuck_or_timeout_failure": (19, 0)}


def _when_by_version(ci: Ci) -> list[Finding]:
    if ci.retry is None or ci.gitlab_version is None:
        return []
    version = tuple(int(part) for part in ci.gitlab_version.split("."))
    out: list[Finding] = []
    for i, value in enumerate(ci.retry.when):
        loc: Loc = ("ci", "retry", "when", i)
        since = WHEN_SINCE.get(value)
        if since is not None and version < since:
            out.append(
                error(
                    f"ci.retry.when: {value} needs GitLab {since[0]}.{since[1]} or later, but "
                    f"ci.gitlab_version is {ci.gitlab_version}: older servers refuse the include "
                    "(use stuck_or_timeout_failure there)",
                    loc,
                )
            )
        retired = WHEN_RETIRED.get(value)
        if retired is not None and version >= retired:
            replacements = ", ".join(v for v, s in WHEN_SINCE.items() if s == retired)
            out.append(
                warning(
                    f"ci.retry.when: GitLab {retired[0]}.{retired[1]} and later no longer report "
                    f"{value} for new jobs, so it retries nothing on {ci.gitlab_version}: list "
                    f"the reasons that replaced it ({replacements})",
                    loc,
                    code="EG212",
                    subject=value,
                )
            )
    return out


def _envgen_install(policy: Policy) -> list[Finding]:
    install = policy.ci.envgen if policy.ci is not None else None
    if install is None:
        return []
    loc: Loc = ("ci", "envgen")
    forms = [name for name in ("version", "git", "wheel") if getattr(install, name) is not None]
    if len(forms) != 1:
        return [
            error(
                "ci.envgen: give exactly one of version, git (with commit) or wheel (with "
                f"sha256); found {', '.join(forms) or 'none'}",
                loc,
            )
        ]
    out: list[Finding] = []
    if (install.git is None) != (install.commit is None):
        out.append(error("ci.envgen: git and commit go together: pin the source", loc))
    if (install.wheel is None) != (install.sha256 is None):
        out.append(error("ci.envgen: wheel and sha256 go together: pin the bytes", loc))
    return out


def _ci(policy: Policy) -> list[Finding]:
    ci = policy.ci
    if ci is None or ci.retry is None:
        return _envgen_install(policy)
    out: list[Finding] = [*_envgen_install(policy), *_when_by_version(ci)]
    codes = ci.retry.exit_codes
    if len(set(codes)) != len(codes):
        out.append(error("ci.retry.exit_codes lists a code twice", ("ci", "retry", "exit_codes")))
    if codes and ci.gitlab_version is not None:
        major, minor = (int(part) for part in ci.gitlab_version.split("."))
        since = KEYWORD_SINCE["retry:exit_codes"]
        if (major, minor) < since:
            out.append(
                error(
                    f"ci.retry.exit_codes needs GitLab {since[0]}.{since[1]} or later, but "
                    f"ci.gitlab_version is {ci.gitlab_version}: older servers refuse the include",
                    ("ci", "retry", "exit_codes"),
                )
            )
    return out


def _targets(policy: Policy, names: set[str]) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, str] = {}
    for name, path in policy.targets.items():
        loc: Loc = ("targets", name)
        if name not in names:
            close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            out.append(
                error(
                    f"targets: unknown target {excerpt(name)}{hint} "
                    f"(available: {', '.join(sorted(names))}; see `envgen targets`)",
                    loc,
                )
            )
        # Lower-cased: two paths that differ only in case are one file on macOS and Windows.
        normal = posixpath.normpath(path.replace("\\", "/").strip("/")).lower()
        if normal in seen:
            out.append(
                error(f"targets.{name}: writes the same file as target '{seen[normal]}'", loc)
            )
        for other, other_name in seen.items():
            if other.startswith(normal + "/") or normal.startswith(other + "/"):
                file_, dir_ = (
                    (name, other_name)
                    if other.startswith(normal + "/")
                    else (
                        other_name,
                        name,
                    )
                )
                out.append(
                    error(
                        f"targets.{name}: target '{file_}' writes a file where target "
                        f"'{dir_}' needs a directory",
                        loc,
                    )
                )
        seen.setdefault(normal, name)
    return out


def _registries(policy: Policy) -> list[Finding]:
    out: list[Finding] = []
    npm = policy.registries.npm
    if npm is not None and npm.token is not None and npm.url is None:
        out.append(
            error(
                "registries.npm.token needs registries.npm.url: the token is sent to it",
                ("registries", "npm", "token"),
            )
        )
    pypi = policy.registries.pypi
    for i, extra in enumerate(pypi.extra if pypi else []):
        if extra.username is not None and extra.token is None:
            out.append(
                error(
                    f"registries.pypi.extra[{i}].username needs a token",
                    ("registries", "pypi", "extra", i, "username"),
                )
            )
    go = policy.registries.go
    if go is not None:
        out += _go(go)
    if go is not None and go.sumdb == "off":
        loc: Loc = ("registries", "go", "sumdb")
        if not go.allow_insecure:
            out.append(
                error(
                    "registries.go.sumdb: 'off' disables checksum "
                    "verification of every module; set allow_insecure: true to accept that",
                    loc,
                )
            )
        else:
            out.append(
                warning(
                    "registries.go.sumdb is off: module downloads are "
                    "not verified against the checksum database",
                    loc,
                    code="EG101",
                )
            )
    return out


def _go(go: Go) -> list[Finding]:
    """Go settings that validate one by one but do not do what they say together."""
    out: list[Finding] = []
    for i, entry in enumerate(go.proxy):
        if entry == "off" and i < len(go.proxy) - 1:
            out.append(
                warning(
                    "registries.go.proxy: entries after 'off' are never used",
                    ("registries", "go", "proxy", i + 1),
                    code="EG102",
                )
            )
            break
    for i, auth in enumerate(go.auth):
        host = auth.host.lower()
        if not any(_prefix_glob_match(p.lower(), host) for p in go.private):
            out.append(
                warning(
                    f"registries.go.auth host {auth.host} is not covered by registries.go.private: "
                    "go will ask the proxy and the checksum database for its modules, which "
                    "cannot see private code",
                    ("registries", "go", "auth", i, "host"),
                    code="EG103",
                )
            )
    return out


def _prefix_glob_match(pattern: str, host: str) -> bool:
    """Does GOPRIVATE `pattern` cover modules on `host` (its first path element)?"""
    first = pattern.split("/", 1)[0]
    return fnmatch.fnmatchcase(host, first)


def _network(policy: Policy) -> list[Finding]:
    backoff = policy.network.backoff
    if backoff.min > backoff.max:
        return [
            error(
                "network.backoff.min is longer than network.backoff.max",
                ("network", "backoff", "min"),
            )
        ]
    return []


def _runner(policy: Policy) -> list[Finding]:
    runner = policy.runner
    if runner is None or runner.cache is None:
        return []
    cache = runner.cache
    loc: Loc = ("runner", "cache")
    out: list[Finding] = []
    chosen = getattr(cache, cache.type)
    if chosen is None:
        out.append(
            error(
                f"runner.cache.type is {cache.type} but runner.cache.{cache.type} is missing",
                (*loc, "type"),
            )
        )
    for other in ("s3", "gcs", "azure"):
        if other != cache.type and getattr(cache, other) is not None:
            out.append(
                error(
                    f"runner.cache.{other} is set but runner.cache.type is {cache.type}",
                    (*loc, other),
                )
            )
    return out
