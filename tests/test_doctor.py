"""envgen.doctor's pure parts: what the fakes read from a connection, the plan, the verdicts.

The whole command runs against the real tools in tests/conformance/test_doctor_real.py.
"""

from __future__ import annotations

import base64
import ssl
from pathlib import Path

import pytest

from envgen.cli import DOCTOR_TOOLS
from envgen.doctor import probes, recorder, report, spec
from envgen.loader import load_policy
from envgen.tools import exported, proxyenv
from envgen.validate import validate
from tests.conftest import write_tree


def _client_hello(server_name: str) -> bytes:
    """The first TLS record Python's own client sends for `server_name`."""
    context = ssl.create_default_context()
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname=server_name)
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


def test_a_direct_tls_connection_is_read_by_its_server_name() -> None:
    event = recorder.parse_head("origin", 443, _client_hello("npm.corp.example"))
    assert (event.request, event.host) == ("TLS", "npm.corp.example")


def test_a_truncated_client_hello_has_no_name() -> None:
    assert recorder.parse_head("origin", 443, _client_hello("a.example")[:20]).host == ""


def test_proxy_requests_name_the_asked_host_and_the_credential_references() -> None:
    user_pass = f"{recorder.sentinel('PROXY_USER')}:{recorder.sentinel('PROXY_PASSWORD')}"
    basic = base64.b64encode(user_pass.encode()).decode()
    connect = recorder.parse_head(
        "proxy",
        3128,
        b"CONNECT registry.npmjs.org:443 HTTP/1.1\r\nHost: registry.npmjs.org:443\r\n"
        + f"Proxy-Authorization: Basic {basic}\r\n\r\n".encode(),
    )
    assert connect.request == "CONNECT registry.npmjs.org:443"
    assert connect.host == "registry.npmjs.org"
    assert connect.credentials == ["PROXY_PASSWORD", "PROXY_USER"]
    absolute = recorder.parse_head(
        "proxy",
        3128,
        b"GET http://[2001:db8::1]:8080/x HTTP/1.1\r\nHost: [2001:db8::1]:8080\r\n\r\n",
    )
    assert (absolute.request, absolute.host) == ("GET http://[2001:db8::1]:8080/x", "2001:db8::1")
    assert absolute.credentials == []


def test_an_origin_request_is_read_by_its_host_header_and_bearer_token() -> None:
    token = recorder.sentinel("NPM_TOKEN")
    event = recorder.parse_head(
        "origin",
        80,
        b"GET /pkg HTTP/1.1\r\nHost: npm.corp.example\r\n"
        + f"Authorization: Bearer {token}\r\n\r\n".encode(),
    )
    assert (event.request, event.host, event.credentials) == (
        "GET /pkg",
        "npm.corp.example",
        ["NPM_TOKEN"],
    )


POLICY = """version: 1
proxy:
  http: http://${PROXY_USER}:${PROXY_PASSWORD}@proxy.corp.example:3128
  no_proxy: [.corp.example, 10.0.0.0/8, "[2001:db8::1]", registry.local:5000]
registries:
  npm: {url: "https://npm.corp.example/", token: "${NPM_TOKEN}"}
  pypi: {index: "https://pypi.corp.example/simple"}
targets:
  npm: .npmrc
"""


@pytest.fixture
def model(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = write_tree(tmp_path / "r", {"envgen.yaml": POLICY})
    policy, _ = validate(load_policy(root / "envgen.yaml"), ["npm"])
    return policy


def test_derived_urls_cover_the_registries_every_rule_and_one_outside(model) -> None:  # type: ignore[no-untyped-def]
    urls = spec.derived_urls(model, proxyenv.rules(model))
    assert urls == [
        "https://npm.corp.example/",
        "https://pypi.corp.example/simple",
        "https://corp.example/",
        "http://10.0.0.1/",
        "http://[2001:db8::1]/",
        "https://registry.local:5000/",
        spec.OUTSIDE_URL,
    ]


def test_the_plan_gives_references_sentinels_and_the_fakes_every_host(model) -> None:  # type: ignore[no-untyped-def]
    curl = probes.BY_NAME["curl"]
    go = probes.BY_NAME["go"]
    variables = exported.variables(model, "/scratch/files", replacing=True)
    plan = spec.build(
        model,
        ["https://npm.corp.example/", "http://10.1.2.3:8080/"],
        [(curl, "/usr/bin/curl"), (go, "/usr/bin/go")],
        variables=variables,
        work="/scratch",
        base_env={"PATH": "/usr/bin", "PROXY_PASSWORD": "must-not-stay"},
        references=spec.references_in(["//npm.corp.example/:_authToken=${NPM_TOKEN}\n"]),
    )
    assert plan.hosts == ["proxy.corp.example", "npm.corp.example"]
    assert plan.addresses == ["10.1.2.3"]
    assert plan.listeners == [
        {"listener": "origin", "port": 443},
        {"listener": "proxy", "port": 3128},
        {"listener": "origin", "port": 8080},
    ]
    assert [(r.probe, r.url) for r in plan.runs] == [
        ("curl", "https://npm.corp.example/"),
        ("go", "https://npm.corp.example/"),
        ("curl", "http://10.1.2.3:8080/"),
        ("go", "http://10.1.2.3:8080/"),
    ]
    env = plan.runs[0].env
    user, password = recorder.sentinel("PROXY_USER"), recorder.sentinel("PROXY_PASSWORD")
    assert env["HTTP_PROXY"] == f"http://{user}:{password}@proxy.corp.example:3128"
    assert env["PROXY_PASSWORD"] == password  # the caller's value is replaced, never passed on
    assert env["NPM_TOKEN"] == recorder.sentinel("NPM_TOKEN")
    assert env["NPM_CONFIG_USERCONFIG"] == "/scratch/files/.npmrc"
    assert plan.runs[1].env["GOPROXY"] == "https://npm.corp.example/"
    assert (
        plan.runs[0].argv[0] == "/usr/bin/curl"
        and plan.runs[0].argv[-1] == "https://npm.corp.example/"
    )


@pytest.mark.parametrize(
    ("events", "route", "verdict"),
    [
        (
            [{"listener": "proxy", "port": 3128, "request": "CONNECT a:443", "host": "a"}],
            "proxy",
            "ok",
        ),
        ([{"listener": "origin", "port": 443, "request": "TLS", "host": "a"}], "direct", "differs"),
        ([], "none", "no connection"),
    ],
)
def test_the_route_is_the_first_fake_that_heard_from_the_tool(
    events: list[dict[str, object]], route: str, verdict: str
) -> None:
    seen = report.observed({"events": events, "exit": None, "stderr": "a\nb\nc\nd\n"})
    assert seen.route == route
    assert report.verdict("proxy", seen) == verdict
    assert seen.stderr == "b\nc\nd"


def test_the_cli_offers_exactly_the_tools_doctor_knows() -> None:
    assert tuple(p.name for p in probes.PROBES) == DOCTOR_TOOLS
    assert all(p.model in __import__("envgen.clients").clients.MODELS for p in probes.PROBES)


def test_pip_trusts_a_plain_http_url_it_is_asked_about() -> None:
    argv = probes.BY_NAME["pip"].command("pip3", "http://10.1.2.3:8080/simple", "scratch")
    assert argv[-2:] == ["--trusted-host", "10.1.2.3:8080"]
    assert "--trusted-host" not in probes.BY_NAME["pip"].command("pip3", "https://a/", "scratch")


@pytest.mark.parametrize("url", ["http://a_b$c.example/", "http://exa mple/", "ftp://a.example/"])
def test_a_url_doctor_cannot_try_is_refused_before_anything_runs(
    url: str,
    run_envgen,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    (tmp_path / "envgen.yaml").write_text(POLICY, encoding="utf-8")
    result = run_envgen("doctor", url, cwd=tmp_path)
    assert result.code == 2
    assert result.err.startswith("envgen: error:") or ": error:" in result.err
    assert "Traceback" not in result.err


def test_a_url_after_tool_names_is_a_url_and_an_unknown_tool_is_named() -> None:
    from envgen.doctor.command import split_tools

    assert split_tools(["curl", "https://a.example/", "npm"]) == (
        ["curl", "npm"],
        ["https://a.example/"],
    )
    assert split_tools(None) == (None, [])
    with pytest.raises(ValueError, match="unknown tool 'curly'; choose from curl, wget"):
        split_tools(["curly"])


def test_doctor_refuses_an_unknown_tool_with_exit_2(run_envgen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "envgen.yaml").write_text(POLICY, encoding="utf-8")
    result = run_envgen("doctor", "--tool", "curly", cwd=tmp_path)
    assert result.code == 2
    assert "envgen: error: doctor: unknown tool 'curly'" in result.err
