"""envgen's NO_PROXY models against the real implementations (issue 3 acceptance).

Two tables:
- RAW: (NO_PROXY value, URL) pairs, quirks included ('*', '*.d', spaces, ports, brackets,
  upper case, partial addresses). For every tool, the model in envgen.clients must decide
  exactly as the real code does. Where they disagree, the tool wins and the model is fixed.
- RULE_SETS x URLS: canonical policy rules. Each dialect's rendered value (and the portable
  environment value) is fed to the real tool; it must go direct exactly for the URLs the rules
  cover, except where `envgen explain` reports the difference as a loss.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from envgen import clients
from envgen.explain.audit import audit
from envgen.explain.views import View
from envgen.noproxy import dialects
from envgen.noproxy.coverage import covers
from envgen.noproxy.rules import parse_rule
from envgen.noproxy.urls import parse_url
from tests.conformance import proxyreal
from tests.conformance.proxyreal import PROXY_PLACEHOLDER, Case

P = PROXY_PLACEHOLDER

RAW_VALUES = [
    "corp.example",
    ".corp.example",
    "*.corp.example",
    "corp.example,.corp.example",
    "*",
    "example.org,*,other.example",
    "10.0.0.0/8",
    "192.168.1.7",
    "registry.local:5000",
    "::1",
    "[::1]",
    "2001:db8::/32",
    "fe80::/10",
    "CORP.EXAMPLE",
    "corp.example other.example",
    "2.10",
    "[2001:db8::1]:8443",
    "10.1.2.3:8080",
    "localhost",
    "",
    # trailing dots (issue 16): most tools compare the host as written, curl strips the dot
    "corp.example.",
    ".corp.example.",
    # whitespace other than a space around entries (issue 16)
    "corp.example,\tother.example",
    "corp.example ,other.example",
    # IPv6 written non-canonically in the URL, letter case of localhost (issue 16)
    "2001:db8::1",
    "[2001:db8::1]",
    "LOCALHOST",
    # internationalised names: Unicode in the entry, punycode in the URL, and the reverse
    # (issue 16); the tools that convert do so in a UTF-8 locale, which the runners use
    "bücher.example",
    "xn--bcher-kva.example",
    ".bücher.example",
]

RAW_URLS = [
    "http://corp.example/",
    "https://corp.example/",
    "https://a.corp.example/",
    "https://corp.example./",
    "https://a.corp.example./",
    "https://evilcorp.example/",
    "https://other.example/",
    "http://10.1.2.3/",
    "http://10.1.2.3:8080/",
    "http://192.168.1.7/",
    "http://registry.local:5000/",
    "http://registry.local/",
    "http://[::1]:8080/",
    "http://[2001:db8::1]:8443/",
    "http://[fe80::1]/",
    "http://192.0.2.10/",
    "http://localhost:9/",
    "http://127.0.0.1:9/",
    "http://[2001:DB8:0::1]/",
    "http://LOCALHOST:9/",
    "https://bücher.example/",
    "https://xn--bcher-kva.example/",
    "https://a.BÜCHER.example/",
]

RAW = [(value, url) for value in RAW_VALUES for url in RAW_URLS]

RULE_SETS = {
    "domain": ["corp.example"],
    "networks": ["10.0.0.0/8", "192.168.1.7"],
    "port": ["registry.local:5000"],
    "ipv6": ["2001:db8::1", "fd00::/8"],
    "ports-ip": ["[2001:db8::1]:8443", "10.1.2.3:8080"],
    "octets": ["172.16.0.0/12", "192.168.0.0/16"],
    "example": [
        ".corp.example",
        "build.internal",
        "10.0.0.0/8",
        "192.168.1.7",
        "registry.local:5000",
    ],
}

URLS = [
    "http://corp.example/",
    "https://a.corp.example/",
    "https://xcorp.example/",
    "https://build.internal/",
    "http://10.1.2.3/",
    "http://10.1.2.3:8080/",
    "http://11.0.0.1/",
    "http://192.168.1.7/",
    "http://192.168.7.7/",
    "http://172.20.1.1/",
    "http://registry.local:5000/",
    "http://registry.local:5001/",
    "https://x.registry.local:5000/",
    "http://[2001:db8::1]/",
    "http://[2001:db8::1]:8443/",
    "http://[fd00::5]/",
    "http://198.51.100.1/",
    "https://registry.npmjs.org/",
    "http://localhost:9/",
    "http://127.0.0.1:9/",
    "http://[::1]:9/",
]

ENV_TOOLS = (
    "curl",
    "wget",
    "go",
    "python-urllib",
    "python-requests",
    "pip",
    "node-proxy-from-env",
    "node-undici",
    "ruby",
)
ALL_TOOLS = (*ENV_TOOLS, "npm", "java")


def env_for(value: str) -> dict[str, str]:
    """Both cases of every proxy variable, as envgen writes them."""
    env = dict.fromkeys(("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"), P)
    if value:
        env["no_proxy"] = env["NO_PROXY"] = value
    return env


def config_for(tool: str, value: str) -> dict[str, str]:
    """npm's .npmrc keys or Java's properties carrying `value`."""
    if tool == "npm":
        return {"proxy": "http://proxy.invalid:3128", "noproxy": value}
    if tool == "java":
        return {
            "http.proxyHost": "proxy.invalid",
            "http.proxyPort": "3128",
            "https.proxyHost": "proxy.invalid",
            "https.proxyPort": "3128",
            "http.nonProxyHosts": value,
        }
    return {}


def real(tool: str, cases: list[Case], workdir: Path) -> list[bool]:
    """Ask the real implementation of `tool`."""
    runners: dict[str, Callable[[list[Case]], list[bool]]] = {
        "curl": proxyreal.curl_direct,
        "wget": proxyreal.wget_direct,
        "go": lambda c: proxyreal.go_direct(c, workdir),
        "python-urllib": proxyreal.urllib_direct,
        "python-requests": proxyreal.requests_direct,
        "pip": lambda c: proxyreal.requests_direct(c, vendored=True),
        "npm": lambda c: proxyreal.node_direct(c, workdir),
        "node-proxy-from-env": lambda c: proxyreal.node_direct(c, workdir),
        "node-undici": lambda c: proxyreal.node_direct(c, workdir),
        "ruby": proxyreal.ruby_direct,
        "java": proxyreal.java_direct,
    }
    return runners[tool](cases)


def model_tool(tool: str) -> str:
    """The model for `tool`: pip's vendored requests may predate 2.34's label matching."""
    if tool == "pip":
        from pip._vendor import requests

        version = tuple(int(p) for p in requests.__version__.split(".")[:2])
        return "pip" if version >= (2, 34) else clients.LEGACY_REQUESTS
    return tool


def model(case: Case) -> bool:
    """envgen's model of the same case."""
    env = proxyreal.stand_in(case.env)
    return clients.decide(model_tool(case.tool), env, case.config, parse_url(case.url)).direct


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("noproxy-real")


def test_tables_are_big_enough() -> None:
    """The acceptance asks for at least 40 (rule set, URL) pairs."""
    assert len(RAW) >= 40
    assert len(RULE_SETS) * len(URLS) >= 40


@pytest.mark.parametrize("tool", ALL_TOOLS)
def test_model_matches_real_tool_on_raw_values(tool: str, workdir: Path) -> None:
    """For every raw NO_PROXY value and URL, envgen's model decides as the real tool does."""
    java_values = [v.replace(",", "|") for v in RAW_VALUES]
    cases = []
    for i, value in enumerate(RAW_VALUES):
        for url in RAW_URLS:
            config_value = java_values[i] if tool == "java" else value
            env = {} if tool in ("npm", "java") else env_for(value)
            cases.append(Case(tool, env, config_for(tool, config_value), url))
    got = real(tool, cases, workdir)
    wrong = [
        f"{c.config.get('noproxy', c.config.get('http.nonProxyHosts', c.env.get('no_proxy')))!r}"
        f" {c.url}: real={'direct' if r else 'proxy'} model={'direct' if model(c) else 'proxy'}"
        for c, r in zip(cases, got, strict=True)
        if r != model(c)
    ]
    assert not wrong, "\n".join(wrong)


def _rendered_cases(tool: str, rules: list[str], *, portable: bool) -> list[Case]:
    parsed = [parse_rule(r) for r in rules]
    if portable:
        value = dialects.portable(parsed).value
    else:
        value = dialects.translate(parsed, dialects.DIALECTS[clients.MODELS[tool].dialect]).value
    env = {} if tool in ("npm", "java") else env_for(value)
    return [Case(tool, env, config_for(tool, value), url) for url in URLS]


def _unexplained(tool: str, rules: list[str], cases: list[Case], got: list[bool]) -> list[str]:
    parsed = [parse_rule(r) for r in rules]
    case0 = cases[0]
    view = View(model_tool(tool), proxyreal.stand_in(case0.env), case0.config, None, None, "test")
    findings = audit(parsed, view)
    under = {f.rule for f in findings if f.actual == "proxy"}
    over = {f.entry for f in findings if f.actual == "direct"}
    problems = []
    for case, direct in zip(cases, got, strict=True):
        url = parse_url(case.url)
        meant = covers(parsed, url)
        if direct == (meant is not None):
            continue
        if meant is not None and str(meant) in under:
            continue  # reported: the tool cannot express this rule
        if meant is None:
            entry = clients.decide(
                model_tool(tool), proxyreal.stand_in(case.env), case.config, url
            ).rule
            if entry in over:
                continue  # reported: this entry over-reaches in this tool
        problems.append(
            f"{case.url}: rules mean {'direct' if meant else 'proxy'}, "
            f"{tool} goes {'direct' if direct else 'proxy'}, explain says nothing"
        )
    return problems


@pytest.mark.parametrize("rule_set", sorted(RULE_SETS))
@pytest.mark.parametrize("tool", ALL_TOOLS)
def test_dialect_value_does_what_rules_mean(tool: str, rule_set: str, workdir: Path) -> None:
    """The tool's own dialect, fed to the real tool: right for every URL, or a reported loss."""
    rules = RULE_SETS[rule_set]
    cases = _rendered_cases(tool, rules, portable=False)
    problems = _unexplained(tool, rules, cases, real(tool, cases, workdir))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule_set", sorted(RULE_SETS))
@pytest.mark.parametrize("tool", ENV_TOOLS)
def test_portable_value_does_what_rules_mean(tool: str, rule_set: str, workdir: Path) -> None:
    """The environment value envgen exports, fed to each environment reader."""
    rules = RULE_SETS[rule_set]
    cases = _rendered_cases(tool, rules, portable=True)
    problems = _unexplained(tool, rules, cases, real(tool, cases, workdir))
    assert not problems, "\n".join(problems)


def test_pip_version_selects_the_model_of_the_requests_it_vendors() -> None:
    """envgen.clients.versions maps a pip release to its vendored requests (pip 26.2 is the
    first with 2.34): the installed pip's own vendored copy must agree."""
    import pip

    from envgen.clients.versions import select

    chosen, _ = select(clients.MODELS, "pip", pip.__version__)
    assert chosen.decide is clients.MODELS[model_tool("pip")].decide
