"""The NO_PROXY warnings of `validate` and `render`: one per rule (EG201) or entry (EG202).

They come from the same audit as `envgen explain`, over the same views, so the two always agree
(docs/contract.md section 3: a rule a tool cannot express is a warning and a row in explain).
"""

from __future__ import annotations

from dataclasses import dataclass

from envgen import clients
from envgen.explain.audit import audit, legacy_requests
from envgen.explain.report import network_of
from envgen.explain.views import views
from envgen.noproxy.rules import Rule
from envgen.schema.policy import Policy
from envgen.tools import proxyenv

#: Which tools each target hands its settings to. The CI targets (and the docker-client
#: target, whose proxies Docker injects into every container) give the environment to every
#: environment reader a job may run; the other targets feed their own tool. Java is fed by
#: none: no target hands it system properties.
_ENV_TARGETS = ("gitlab-ci", "github-actions", "gitlab-runner", "docker-client")
_TARGET_TOOLS = {
    "npm": ("npm",),
    "pip": ("pip",),
    "go": ("go",),
    "git": ("git",),
    "curl": ("curl",),
    "docker": ("docker",),
    "docker-systemd": ("docker",),
    "gitlab-runner-systemd": ("go",),  # the runner is a Go program: Go's NO_PROXY dialect
}


def fed_tools(policy: Policy) -> set[str]:
    """The tools the policy's targets actually hand a NO_PROXY value to."""
    out: set[str] = set()
    if any(t in policy.targets for t in _ENV_TARGETS):
        out.update(t for t in clients.TOOLS if t not in ("java", "docker"))
    for target, tools in _TARGET_TOOLS.items():
        if target in policy.targets:
            out.update(tools)
    return out


@dataclass(frozen=True)
class RuleWarning:
    """One warning of `validate` about one NO_PROXY rule or entry, naming every tool."""

    code: str  # EG201 (a rule not honoured) or EG202 (an entry read too widely)
    subject: str  # the rule, or the entry as the tools read it
    index: int | None  # the rule's place in proxy.no_proxy (None: an implicit rule)
    tools: tuple[str, ...]
    message: str


def _losses(
    policy: Policy, rules: list[Rule], fed: set[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]], list[str], dict[str, tuple[str, str]]]:
    """The audit's findings per rule not honoured, per entry read too widely, the tools that
    match as text suffixes with requests < 2.34, and an example per entry."""
    lost: dict[str, list[str]] = {}
    wide: dict[str, list[str]] = {}
    legacy: list[str] = []
    # NO_PROXY entry -> (as read, a URL it bypasses); "\0" + rule -> ("", why it is lost)
    examples: dict[str, tuple[str, str]] = {}
    for tool, view in views(policy).items():
        model = clients.MODELS[tool]
        if tool not in fed or (model.same_as is not None and model.same_as in fed):
            continue
        found = audit(rules, view)
        if tool in ("python-requests", "pip"):
            found += legacy_requests(rules, view, found)
        for mismatch in found:
            if mismatch.reason.startswith("only with requests < 2.34"):
                if tool not in legacy:
                    legacy.append(tool)
                continue
            if mismatch.rule is not None:
                bucket, key = lost, mismatch.rule
                examples.setdefault("\0" + key, ("", mismatch.reason))  # "\0": not an entry
            else:
                key = _source_entry(mismatch.entry or "", view.no_proxy_value or "")
                bucket = wide
                examples.setdefault(key, (mismatch.entry or "", mismatch.url))
            if tool not in bucket.setdefault(key, []):
                bucket[key].append(tool)
    return lost, wide, legacy, examples


def rule_warnings(policy: Policy, *, all_tools: bool = False) -> list[RuleWarning]:
    """Every loss `envgen explain` finds, one warning per (code, rule or entry).

    The findings are those of explain's audit of the whole value (near-linear, see
    `envgen.explain.narrowing`), so the two always agree. Only the tools the policy's targets
    feed are considered (`fed_tools`), unless `all_tools`. A tool that reads like another
    (git as curl) is named only when that other is not.
    """
    if policy.proxy is None or not proxyenv.has_proxy(policy):
        return []
    rules = proxyenv.rules(policy)
    fed = set(clients.TOOLS) if all_tools else fed_tools(policy)
    lost, wide, legacy, examples = _losses(policy, rules, fed)
    where: dict[str, int] = {}
    for index, rule in enumerate(rules[: len(policy.proxy.no_proxy)]):
        where.setdefault(str(rule), index)
    out = [
        RuleWarning(
            "EG201",
            rule,
            where.get(rule),
            tuple(tools),
            f"NO_PROXY rule {rule} is not honoured by {tools[0]}: {examples[chr(0) + rule][1]}"
            if len(tools) == 1
            else f"NO_PROXY rule {rule} is not honoured by {', '.join(tools)} (they use the "
            "proxy for it); `envgen explain` shows why, per tool",
        )
        for rule, tools in lost.items()
    ]
    for entry, tools in wide.items():
        read, url = examples[entry]
        read_as = f" (read as {read!r})" if read != entry else ""
        out.append(
            RuleWarning(
                "EG202",
                entry,
                where.get(entry.lstrip(".").strip("[]")),
                tuple(tools),
                f"NO_PROXY entry {entry!r}{read_as} is read too widely by {', '.join(tools)}: "
                f"{'it connects' if len(tools) == 1 else 'they connect'} directly to hosts no "
                f"rule covers, e.g. {url}; `envgen explain` shows why",
            )
        )
    if legacy:
        out.append(
            RuleWarning(
                "EG202",
                clients.LEGACY_REQUESTS,
                None,
                tuple(legacy),
                f"with requests < 2.34 (pip 23.2 vendors 2.31), {', '.join(legacy)} "
                f"{'compares' if len(legacy) == 1 else 'compare'} NO_PROXY entries as text "
                "suffixes (an entry 'a.example' also covers 'xa.example') and "
                f"{'connects' if len(legacy) == 1 else 'connect'} directly to such hosts; "
                "`envgen explain` lists them",
            )
        )
    # In policy order, the implicit loopback rules last.
    return sorted(out, key=lambda w: (w.index is None, w.index or 0, w.code, w.subject))


def _source_entry(read: str, value: str) -> str:
    """The NO_PROXY entry a tool's misread `read` came from: itself, or the entry it is a
    colon-separated piece of (Ruby reads '::1' as the host '1')."""
    entries = [e.strip() for e in value.split(",")]
    if read in entries:
        return read
    return next((e for e in entries if read and read in e.strip("[]").split(":")), read)


def http_warnings(policy: Policy, *, all_tools: bool = False) -> list[str]:
    """With network.http_version "1.1": one warning naming the tools (those the targets feed,
    or all with `all_tools`) that may still speak HTTP/2 because nothing envgen renders can tell
    them otherwise (docs/contract.md section 4.1)."""
    if policy.network.http_version != "1.1":
        return []
    fed = set(clients.TOOLS) if all_tools else fed_tools(policy)
    stuck = [
        tool
        for tool, view in views(policy).items()
        if tool in fed
        and not clients.MODELS[tool].same_as
        and network_of(policy, tool, view)["http"].startswith("may use HTTP/2")
    ]
    if not stuck:
        return []
    hints = {
        "curl": "the curl target would tell curl",
        "docker": "the docker-systemd target would tell dockerd",
        "java": "java.net.http.HttpClient has no setting envgen can give",
    }
    detail = "; ".join(hints.get(tool, "no setting") for tool in stuck)
    return [
        f'network.http_version is "1.1", but {", ".join(stuck)} may still speak HTTP/2 ({detail})'
    ]
