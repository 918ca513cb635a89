"""`envgen doctor` end to end, with the real curl, git, npm, pip and Go (issue: doctor).

Each test runs the real `envgen doctor` in a subprocess: it makes its own private user +
network + mount namespace, where the policy's hosts resolve to loopback fakes. These tests
assert what the fakes saw through doctor's JSON report, and that a NO_PROXY value a tool
cannot read (a CIDR rule, which npm does not read) is caught with exit 1. Nothing leaves the
machine: the namespace has no interface but its own loopback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.sandboxed import namespaces_or_skip
from tests.conftest import need_tool, python_env, write_tree

TOOLS = ("curl", "git", "npm", "pip", "go")
POLICY = """version: 1
proxy:
  http: http://${PROXY_USER}:${PROXY_PASSWORD}@proxy.corp.example:3128
  no_proxy: [.corp.example, 10.0.0.0/8]
registries:
  npm: {url: "https://npm.corp.example/", token: "${NPM_TOKEN}"}
targets:
  npm: .npmrc
  pip: pip.conf
  go: go.env
  git: .envgen/git/config
  curl: .envgen/curl/.curlrc
"""
#: What the user's environment holds: doctor must never read or print it.
REAL_SECRET = "hunter2-real-proxy-password"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    namespaces_or_skip()
    for tool in (*TOOLS, "unshare"):
        need_tool(tool)
    return write_tree(tmp_path / "repo", {"envgen.yaml": POLICY})


def _run_doctor(
    repo: Path, *args: str, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`envgen doctor ARGS` in `repo`, with real-looking secrets in the environment that must
    never come out, and PATH (default: this one, with the suite's go first)."""
    env = {**python_env(), "PROXY_PASSWORD": REAL_SECRET, "NPM_TOKEN": REAL_SECRET}
    if path is None:
        path = f"{Path(need_tool('go')).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run(
        [sys.executable, "-m", "envgen", "doctor", *args],
        cwd=repo,
        env={**env, "PATH": path},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert REAL_SECRET not in done.stdout + done.stderr
    return done


def _doctor(repo: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    done = _run_doctor(repo, "--format", "json", *args)
    return done.returncode, json.loads(done.stdout), done.stderr


def test_every_tool_goes_where_the_policy_means(repo: Path) -> None:
    urls = ["https://npm.corp.example/", "https://registry.npmjs.org/", "http://example.org/"]
    code, report, err = _doctor(repo, *urls, "--tool", *TOOLS)
    assert code == 0, err
    assert [u["url"] for u in report["urls"]] == urls
    assert report["skipped"] == []
    for entry in report["urls"]:
        assert set(entry["tools"]) == set(TOOLS)
        for tool, got in entry["tools"].items():
            assert got["observed"]["route"] == entry["expected"], (entry["url"], tool, got)
            assert got["matches_explain"], (entry["url"], tool, got)
            assert got["version"], tool
    expected = {u["url"]: u["expected"] for u in report["urls"]}
    assert expected == {urls[0]: "direct", urls[1]: "proxy", urls[2]: "proxy"}
    # Through the proxy, HTTPS is a CONNECT to the asked host; plain HTTP an absolute URL.
    assert report["urls"][1]["tools"]["curl"]["observed"]["via"].endswith(
        "CONNECT registry.npmjs.org:443"
    )
    assert "GET http://example.org/" in report["urls"][2]["tools"]["curl"]["observed"]["via"]


def test_the_proxy_credential_reference_reaches_the_proxy(repo: Path) -> None:
    """The fakes recognise the stand-in value doctor gives ${PROXY_USER} and
    ${PROXY_PASSWORD}: curl sends both to the proxy for a plain HTTP URL."""
    code, report, err = _doctor(repo, "http://example.org/", "--tool", "curl", "pip")
    assert code == 0, err
    for tool in ("curl", "pip"):
        seen = report["urls"][0]["tools"][tool]["observed"]
        assert seen["route"] == "proxy"
        assert seen["credentials"] == ["PROXY_PASSWORD", "PROXY_USER"], (tool, seen)


def test_the_registry_token_reference_reaches_the_registry(repo: Path) -> None:
    """npm sends the .npmrc token (${NPM_TOKEN}, given a stand-in value) to its registry's
    host, and curl, which is given no token, sends none."""
    code, report, err = _doctor(repo, "http://npm.corp.example/", "--tool", "npm", "curl")
    assert code == 0, err
    tools = report["urls"][0]["tools"]
    assert tools["npm"]["observed"]["credentials"] == ["NPM_TOKEN"]
    assert tools["curl"]["observed"]["credentials"] == []


def test_a_no_proxy_value_a_tool_cannot_read_is_caught(repo: Path) -> None:
    """10.0.0.0/8 is in the policy; npm's noproxy does not read CIDR, so npm goes through
    the proxy to 10.1.2.3. doctor sees it (exit 1), as explain predicted; curl, git, pip and
    Go read the rule and go direct."""
    code, report, _ = _doctor(repo, "http://10.1.2.3/", "--tool", *TOOLS)
    assert code == 1
    entry = report["urls"][0]
    assert entry["expected"] == "direct" and entry["policy_rule"] == "10.0.0.0/8"
    npm = entry["tools"]["npm"]
    assert npm["observed"]["route"] == "proxy" and npm["verdict"] == "differs"
    assert npm["matches_explain"] and not npm["matches_policy"]
    for tool in ("curl", "git", "pip", "go"):
        assert entry["tools"][tool]["observed"]["route"] == "direct", tool
    assert report["summary"] == {"runs": 5, "ok": 4, "differ": 1, "no_connection": 0}


def test_text_report_names_the_mismatch(repo: Path) -> None:
    done = _run_doctor(repo, "http://10.1.2.3/", "--tool", "npm", "curl")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "http://10.1.2.3/: the policy means direct (NO_PROXY rule 10.0.0.0/8)"
    assert any(
        line.lstrip().startswith("npm ")
        and "MISMATCH: went proxy" in line
        and "as envgen explain predicted" in line
        for line in lines
    ), done.stdout
    assert "1 of 2 run(s) did not go where the policy means" in done.stderr


def test_nothing_checked_without_namespaces_is_exit_2(repo: Path, tmp_path: Path) -> None:
    """With no `unshare` on PATH every tool is skipped, with why, and doctor exits 2."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "curl").symlink_to(need_tool("curl"))
    done = _run_doctor(repo, "--tool", "curl", "--format", "json", path=str(bin_dir))
    assert done.returncode == 2, done.stderr
    report = json.loads(done.stdout)
    assert report["skipped"] == [
        {"tool": "curl", "why": "needs util-linux's unshare and mount on PATH"}
    ]
    assert "nothing could be checked" in done.stderr


def test_node_goes_direct_without_the_variable(repo: Path) -> None:
    """Node's own fetch reads no proxy variable without NODE_USE_ENV_PROXY=1 (envgen does not
    set it): doctor shows it going direct where the policy means the proxy, as explain (with
    the installed Node's release) predicted."""
    need_tool("node")
    code, report, _ = _doctor(repo, "https://registry.npmjs.org/", "--tool", "node", "curl")
    assert code == 1
    node = report["urls"][0]["tools"]["node"]
    assert node["observed"]["route"] == "direct" and node["verdict"] == "differs"
    assert node["matches_explain"], node
    assert report["urls"][0]["tools"]["curl"]["verdict"] == "ok"
