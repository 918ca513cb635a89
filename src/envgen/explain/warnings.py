"""The NO_PROXY warnings of `validate` and `render`: one per rule some tool cannot honour.

They come from the same audit as `envgen explain`, over the same views, so the two always agree
(docs/contract.md section 3: a rule a tool cannot express is a warning and a row in explain).
"""

from __future__ import annotations

from envgen import clients
from envgen.explain.audit import audit
from envgen.explain.report import network_of
from envgen.explain.views import views
from envgen.schema.policy import Policy
from envgen.tools import proxyenv


def rule_warnings(policy: Policy) -> list[tuple[int | None, str]]:
    """One warning per policy rule that some environment reader cannot honour.

    (index in proxy.no_proxy or None for an implicit rule, message). The findings are those of
    `envgen explain`'s audit of the whole value (near-linear, see `envgen.explain.narrowing`),
    so the two always agree. npm is left out when the npm target renders .npmrc, whose
    generator warns for its own dialect; Java is left out as no target hands it the rules.
    """
    proxy = policy.proxy
    if proxy is None or not proxyenv.has_proxy(policy):
        return []
    skip = {"java", *(("npm",) if "npm" in policy.targets else ())}
    rules = proxyenv.rules(policy)
    lost: dict[str, list[str]] = {}
    for tool, view in views(policy).items():
        if tool in skip or clients.MODELS[tool].same_as:
            continue
        for finding in audit(rules, view):
            if finding.rule is not None and tool not in lost.setdefault(finding.rule, []):
                lost[finding.rule].append(tool)
    where: dict[str, int] = {}
    for index, rule in enumerate(rules[: len(proxy.no_proxy)]):
        where.setdefault(str(rule), index)
    found = [
        (
            where.get(rule),
            f"NO_PROXY rule {rule} is not honoured by {', '.join(tools)} (they use "
            "the proxy for it); `envgen explain` shows why, per tool",
        )
        for rule, tools in lost.items()
        if tools
    ]
    # In policy order, the implicit loopback rules last.
    return sorted(found, key=lambda item: (item[0] is None, item[0] or 0, item[1]))


def http_warnings(policy: Policy) -> list[str]:
    """With network.http_version "1.1": one warning naming the tools that may still speak HTTP/2
    because nothing envgen renders can tell them otherwise (docs/contract.md section 4.1)."""
    if policy.network.http_version != "1.1":
        return []
    stuck = [
        tool
        for tool, view in views(policy).items()
        if not clients.MODELS[tool].same_as
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
