"""`envgen explain`: the per-tool report and the per-URL decisions (docs/contract.md section 2).

Expected decisions here are written from docs/targets.md section 9 and the tools' documented
behaviour, not computed by envgen; tests/conformance checks the models against the real tools.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, RunEnvgen
from tests.test_clients_table import CONTRACT_TOOLS

POLICY = str(EXAMPLES / "envgen.yaml")
TOOLS = set(CONTRACT_TOOLS)


def explain_json(run_envgen: RunEnvgen, *argv: str) -> dict:
    result = run_envgen("explain", "--format", "json", *argv)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_url_json_has_the_documented_shape(run_envgen: RunEnvgen) -> None:
    report = explain_json(run_envgen, "-p", POLICY, "https://registry.npmjs.org/react")
    assert report["url"] == "https://registry.npmjs.org/react"
    assert set(report["tools"]) >= TOOLS
    for tool, entry in report["tools"].items():
        assert set(entry) == {"decision", "proxy", "rule", "credential", "reason"}, tool
        if tool == "node":  # reads no proxy variable without NODE_USE_ENV_PROXY=1
            assert entry["decision"] == "direct" and entry["proxy"] is None
            continue
        assert entry["decision"] == "proxy", tool
        assert entry["proxy"] == "http://proxy.corp.example:3128", tool
        assert entry["rule"] is None and entry["reason"].endswith("."), tool


def test_cidr_rule_decisions_per_tool(run_envgen: RunEnvgen) -> None:
    """10.0.0.0/8: Go, curl, requests, Ruby honour CIDR; wget, urllib, npm, Node do not.
    Node's own clients go direct anyway: envgen's environment does not set NODE_USE_ENV_PROXY,
    without which they read no proxy variable."""
    tools = explain_json(run_envgen, "-p", POLICY, "http://10.1.2.3/")["tools"]
    direct = {t for t, e in tools.items() if e["decision"] == "direct"}
    assert direct == {
        "go", "docker", "curl", "git", "python-requests", "pip", "ruby", "java", "node"
    }  # fmt: skip
    assert "NODE_USE_ENV_PROXY" in tools["node"]["reason"]
    assert tools["go"]["rule"] == "10.0.0.0/8"
    assert tools["java"]["rule"] == "10.*"


def test_registry_credential_is_named(run_envgen: RunEnvgen) -> None:
    tools = explain_json(run_envgen, "-p", POLICY, "https://npm.corp.example/left-pad")["tools"]
    assert tools["npm"]["credential"] == "${NPM_TOKEN}"
    assert tools["npm"]["decision"] == "direct"
    scoped = explain_json(
        run_envgen, "-p", POLICY, "https://gitlab.corp.example/api/v4/projects/42/packages/npm/x"
    )["tools"]
    assert scoped["npm"]["credential"] == "${GITLAB_NPM_TOKEN}"
    pypi = explain_json(
        run_envgen,
        "-p",
        POLICY,
        "https://gitlab.corp.example/api/v4/projects/42/packages/pypi/simple/pkg/",
    )["tools"]
    assert pypi["pip"]["credential"] == "${PYPI_TOKEN}"
    assert pypi["curl"]["credential"] is None
    go = explain_json(run_envgen, "-p", POLICY, "https://gitlab.corp.example/acme/mod")["tools"]
    assert go["go"]["credential"] == "${CI_JOB_TOKEN}"


def test_proxy_password_reference_is_the_credential(run_envgen: RunEnvgen, tmp_path: Path) -> None:
    (tmp_path / "envgen.yaml").write_text(
        "version: 1\nproxy:\n  http: http://user:${PROXY_PASSWORD}@proxy.example:3128\n",
        encoding="utf-8",
    )
    tools = explain_json(run_envgen, "http://example.org/")["tools"]
    assert tools["curl"]["decision"] == "proxy"
    assert tools["curl"]["credential"] == "${PROXY_PASSWORD}"


def test_no_proxy_value_without_a_policy(run_envgen: RunEnvgen) -> None:
    """'*' alone bypasses the proxy everywhere except npm's agent and wget (TARGETS 9.2a),
    and Ruby 3.1's uri gem, which has no '*' rule (checked with the real Ruby in
    tests/conformance). Java never reads NO_PROXY, only http.nonProxyHosts."""
    tools = explain_json(run_envgen, "--no-proxy", "*", "https://example.org/")["tools"]
    proxied = {t for t, e in tools.items() if e["decision"] == "proxy"}
    assert proxied == {"npm", "wget", "ruby", "java"}
    assert tools["npm"]["proxy"] == "http://proxy.invalid:3128"
    assert "nonProxyHosts" in tools["java"]["reason"]


def test_leading_dot_value(run_envgen: RunEnvgen) -> None:
    """'.corp.example' excludes the apex in Go, wget, Ruby and proxy-from-env only."""
    tools = explain_json(run_envgen, "--no-proxy", ".corp.example", "http://corp.example/")["tools"]
    proxied = {t for t, e in tools.items() if e["decision"] == "proxy"}
    assert proxied == {"go", "docker", "wget", "ruby", "node-proxy-from-env", "java"}


def test_report_lists_losses(run_envgen: RunEnvgen) -> None:
    report = explain_json(run_envgen, "-p", POLICY)
    tools = report["tools"]
    assert set(tools) >= TOOLS
    wget = {(loss["rule"], loss["actual"]) for loss in tools["wget"]["losses"]}
    assert ("10.0.0.0/8", "proxy") in wget and ("registry.local:5000", "proxy") in wget
    assert not tools["go"]["losses"]
    ruby = tools["ruby"]["losses"]
    assert any(loss["entry"] == "1" and loss["actual"] == "direct" for loss in ruby)
    assert report["no_proxy"].split(",")[:2] == ["corp.example", ".corp.example"]
    assert tools["npm"]["no_proxy"] == {
        "setting": "noproxy",
        "value": "corp.example,build.internal,192.168.1.7,localhost,127.0.0.1,[::1]",
    }


def test_text_output_is_deterministic_and_coloured_on_request(run_envgen: RunEnvgen) -> None:
    first = run_envgen("explain", "-p", POLICY)
    second = run_envgen("explain", "-p", POLICY)
    assert first.code == 0 and first.out == second.out
    assert "\033[" not in first.out
    coloured = run_envgen("--color", "always", "explain", "-p", POLICY, "http://10.1.2.3/")
    assert "\033[32mdirect" in coloured.out and "\033[36mproxy" in coloured.out


@pytest.mark.parametrize("url", ["ftp://x.example/", "not a url", "http://[::1/"])
def test_bad_url_is_an_error(run_envgen: RunEnvgen, url: str) -> None:
    result = run_envgen("explain", "-p", POLICY, url)
    assert result.code == 2
    assert "error:" in result.err and result.out == ""


def test_without_policy_or_value_is_an_error(run_envgen: RunEnvgen) -> None:
    result = run_envgen("explain")
    assert result.code == 2
    assert "no envgen.yaml" in result.err


def test_validate_warns_for_rules_a_tool_cannot_honour(run_envgen: RunEnvgen) -> None:
    """docs/contract.md section 3: such a rule is a warning from validate, pointing at the rule."""
    result = run_envgen("validate", "-p", POLICY)
    assert result.code == 0
    lines = result.err.splitlines()
    cidr = [line for line in lines if "rule 10.0.0.0/8 is not honoured by" in line]
    assert len(cidr) == 1 and ":14:7: warning:" in cidr[0]
    assert "wget" in cidr[0] and "python-urllib" in cidr[0] and " go" not in cidr[0]


def test_a_password_in_the_url_is_never_echoed(run_envgen: RunEnvgen) -> None:
    secret = "hunter2-not-for-output"
    url = f"http://me:{secret}@corp.example/"
    for argv in (["-p", POLICY, url], ["--format", "json", "-p", POLICY, url]):
        result = run_envgen("explain", *argv)
        assert result.code == 0
        assert secret not in result.out + result.err
        assert "me:***@corp.example" in result.out
    bad = run_envgen("explain", "-p", POLICY, f"ftp://me:{secret}@corp.example/")
    assert bad.code == 2 and secret not in bad.out + bad.err


@pytest.mark.parametrize(
    ("cidr", "expected"),
    [
        # Expected probes written by hand: first and last host inside, nearest address outside.
        ("10.0.0.0/8", ["http://10.0.0.1/", "http://10.255.255.254/", "http://11.0.0.0/"]),
        ("192.0.2.7/32", ["http://192.0.2.7/", "http://192.0.2.8/"]),
        (
            "255.255.255.0/24",
            ["http://255.255.255.1/", "http://255.255.255.254/", "http://255.255.254.255/"],
        ),
        ("0.0.0.0/0", ["http://0.0.0.1/", "http://255.255.255.254/"]),
        ("::/0", ["http://[::1]/", "http://[ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe]/"]),
    ],
)
def test_cidr_probes_stay_in_the_address_space(cidr: str, expected: list[str]) -> None:
    """0.0.0.0/0 and ::/0 have no address outside them (this crashed before)."""
    from envgen.explain.audit import probes
    from envgen.noproxy.rules import parse_rule

    found = probes([parse_rule(cidr)])
    assert found[: len(expected)] == expected


@pytest.mark.parametrize("cidr", ["0.0.0.0/0", "::/0"])
def test_whole_address_space_rule_is_explained(
    run_envgen: RunEnvgen, tmp_path: Path, cidr: str
) -> None:
    policy = tmp_path / "envgen.yaml"
    policy.write_text(
        f"version: 1\nproxy:\n  http: http://p.example:3128\n  no_proxy: ['{cidr}']\n",
        encoding="utf-8",
    )
    assert run_envgen("validate", "-p", str(policy)).code == 0
    report = explain_json(run_envgen, "-p", str(policy))
    assert report["tools"]


def test_explain_names_a_ca_override_in_the_environment(
    run_envgen: RunEnvgen, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/contract.md 4.1: PIP_CERT in the caller's environment wins over pip.conf's cert."""
    quiet = run_envgen("explain", "-p", POLICY, "--format", "json")
    assert "overrides" not in json.loads(quiet.out)
    monkeypatch.setenv("PIP_CERT", "/somewhere/else.pem")
    result = run_envgen("explain", "-p", POLICY, "--format", "json")
    assert json.loads(result.out)["overrides"] == [
        {"variable": "PIP_CERT", "overrides": "pip's cert"}
    ]
    text = run_envgen("explain", "-p", POLICY)
    assert "note: PIP_CERT is set in this environment and wins over pip's cert" in text.out
