"""`envgen explain`'s reports: per tool, or per tool for one URL, as JSON-ready dicts.

Pure functions from a policy (or a bare NO_PROXY value) to the objects `--format json` prints
(docs/contract.md section 2) and `envgen.explain.text` lays out for a terminal. Every value comes
from the views (`envgen.explain.views`) and the audit (`envgen.explain.audit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from envgen import clients
from envgen.clients.versions import select
from envgen.explain.audit import audit, legacy_requests
from envgen.explain.views import View, proxies, views
from envgen.noproxy import dialects
from envgen.noproxy.coverage import covers
from envgen.noproxy.rules import effective_rules
from envgen.noproxy.urls import Url, parse_url, redact_url
from envgen.schema.policy import Policy
from envgen.secrets import ENV_REF_ANYWHERE
from envgen.tools import java, proxyenv, tls
from envgen.tools.base import Credential, Topic
from envgen.tools.registry import TOOLS

#: Whose credentials each row of the report sends (git reads the ~/.netrc written for go).
_CREDENTIALS = {row: tool.settings for tool in TOOLS for row in tool.credentials_for}


def _credential_for(
    policy: Policy | None, tool: str, url: Url, via_proxy: bool, proxy: str | None
) -> tuple[str | None, str]:
    if policy is not None and tool in _CREDENTIALS:
        for cred in _CREDENTIALS[tool](policy).credentials:
            if _matches(url, cred):
                return (
                    cred.reference,
                    f"{tool} sends {cred.reference} to {cred.target} ({cred.route})",
                )
    if via_proxy and proxy is not None:
        refs = ENV_REF_ANYWHERE.findall(proxy)
        if refs:
            ref = "${" + refs[-1] + "}"
            return ref, f"the proxy URL carries {ref}"
    return None, ""


def _matches(url: Url, cred: Credential) -> bool:
    """Does `cred` go with a request to `url`: below its registry URL, or to its host?"""
    if "://" not in cred.target:
        return url.hostname == cred.target.lower()
    parts = urlsplit(cred.target)
    base_url = parse_url(cred.target)
    if (base_url.hostname, base_url.effective_port) != (url.hostname, url.effective_port):
        return False
    path = urlsplit(url.text).path or "/"
    prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
    return path.startswith(prefix) or path == parts.path


def explain_url(
    policy: Policy | None,
    text: str,
    no_proxy: str | None = None,
    versions: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The docs/contract.md `explain URL --format json` object. `versions` (tool -> version)
    selects each named tool's model of that release (envgen.clients.versions); those tools'
    entries say which (`version`, `model`)."""
    url = parse_url(text)
    tool_views = views(policy, no_proxy)
    tools: dict[str, Any] = {}
    for tool in clients.TOOLS:
        view = tool_views[tool]
        version = (versions or {}).get(tool)
        model, holds_for = select(clients.MODELS, tool, version)
        got = model.decide(view.env, view.config, url)
        credential, why = _credential_for(policy, tool, url, not got.direct, got.proxy)
        reason = got.reason + (f"; {why}" if why else "")
        tools[tool] = {
            "decision": "direct" if got.direct else "proxy",
            "proxy": got.proxy,
            "rule": got.rule,
            "credential": credential,
            "reason": reason + ".",
        }
        if version is not None:
            tools[tool] |= {"version": version, "model": holds_for}
    meant = covers(proxyenv.rules(policy), url) if policy and no_proxy is None else None
    return {
        "url": redact_url(text),
        "policy_rule": str(meant) if meant else None,
        "tools": tools,
    }


def explain_policy(
    policy: Policy | None,
    no_proxy: str | None = None,
    environ: Mapping[str, str] | None = None,
    versions: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Per tool: effective proxy and NO_PROXY, settings, credentials and every loss; and the
    variables of `environ` (the caller's environment) that override a CA setting envgen renders.
    `versions` selects releases as in `explain_url`."""
    tool_views = views(policy, no_proxy)
    rules = proxyenv.rules(policy) if policy is not None and no_proxy is None else []
    http, https = proxies(policy)
    tools: dict[str, Any] = {}
    for tool in clients.TOOLS:
        view = tool_views[tool]
        version = (versions or {}).get(tool)
        chosen = select(clients.MODELS, tool, version)[0] if version is not None else None
        findings = audit(rules, view, model=chosen) if rules or (policy and policy.proxy) else []
        if tool in ("python-requests", "pip") and version is None:
            findings += legacy_requests(rules, view, findings)
        entry: dict[str, Any] = {
            "same_as": clients.MODELS[tool].same_as,
            "reads": clients.MODELS[tool].reads,
            "source": view.source,
            "proxy": {
                "http": _proxy_for(tool, view, "http"),
                "https": _proxy_for(tool, view, "https"),
            },
            "no_proxy": {"setting": view.no_proxy_setting, "value": view.no_proxy_value},
            "settings": dict(sorted(view.settings.items())),
            "credentials": [c.as_dict() for c in view.credentials],
            "losses": [f.as_dict() for f in findings],
        }
        if tool == "java" and view.config:
            entry["settings"]["JAVA_TOOL_OPTIONS"] = java.tool_options(dict(view.config))
        if policy is not None and no_proxy is None:
            entry["network"] = network_of(policy, tool, view)
        if version is not None:
            entry |= {"version": version, "model": select(clients.MODELS, tool, version)[1]}
        tools[tool] = entry
    return {
        "rules": [str(r) for r in effective_rules(rules)] if rules or http or https else [],
        "proxy": {"http": http, "https": https},
        "no_proxy": dialects.portable(rules).value
        if (http or https) and no_proxy is None
        else no_proxy,
        "tools": tools,
        **_overrides(policy, environ),
    }


def _overrides(policy: Policy | None, environ: Mapping[str, str] | None) -> dict[str, Any]:
    if policy is None or policy.network.ca_file is None or environ is None:
        return {}
    found = [
        {"variable": name, "overrides": what}
        for name, what in tls.OVERRIDES.items()
        if environ.get(name)
    ]
    return {"overrides": found} if found else {}


def network_of(policy: Policy, tool: str, view: View) -> dict[str, str]:
    """What the tool's HTTP version, CA trust, retries and timeouts are, as envgen leaves them;
    "none" names a tool envgen gives no such knob."""
    knobs = view.knobs

    def listed(*topics: Topic) -> str:
        return "; ".join(k for topic in topics for k in knobs.get(topic, [])) or "none"

    if Topic.HTTP in knobs:
        http = f"HTTP/1.1 forced: {listed(Topic.HTTP)}"
    elif not clients.MODELS[tool].http2:
        http = "HTTP/1.1 only (this client never speaks HTTP/2)"
    elif policy.network.http_version == "1.1":
        http = "may use HTTP/2: nothing envgen renders for it can say otherwise"
    else:
        http = "HTTP/2 allowed (network.http_version is auto)"
    return {
        "http": http,
        "ca": listed(Topic.CA) if policy.network.ca_file else "the system trust store",
        "retries": listed(Topic.RETRY),
        "timeouts": listed(Topic.TIMEOUT),
    }


def _proxy_for(tool: str, view: View, scheme: str) -> str | None:
    probe = parse_url(f"{scheme}://envgen-probe.invalid/")
    got = clients.decide(tool, view.env, view.config, probe)
    return got.proxy
