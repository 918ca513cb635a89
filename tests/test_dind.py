"""ci.docker_in_docker (policy v1.1, section 4.4a): the dind service's host bypasses the proxy."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunEnvgen, write_tree

POLICY = """\
version: 1
proxy:
  http: http://proxy.corp.example:3128
  no_proxy: [corp.example]
ci:
  docker_in_docker: {dind}
targets:
  npm: .npmrc
  gitlab-ci: ci.yml
"""


def test_dind_host_joins_no_proxy_for_every_tool(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    root = write_tree(tmp_path / "on", {"envgen.yaml": POLICY.format(dind="true")})
    assert run_envgen("render", cwd=root).code == 0
    env = run_envgen("env", cwd=root).out
    assert "export NO_PROXY='corp.example,.corp.example,docker,.docker," in env
    assert "noproxy=corp.example,docker,localhost" in (root / ".npmrc").read_text()
    ci = (root / "ci.yml").read_text()
    assert "# ci.docker_in_docker: the docker:dind service's host 'docker' is in NO_PROXY" in ci
    decisions = json.loads(
        run_envgen("explain", "--format", "json", "http://docker:2375/v1.44/info", cwd=root).out
    )
    assert decisions["policy_rule"] == "docker"
    assert {d["decision"] for d in decisions["tools"].values()} == {"direct"}


def test_without_dind_docker_goes_through_the_proxy(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    root = write_tree(tmp_path / "off", {"envgen.yaml": POLICY.format(dind="false")})
    assert run_envgen("render", cwd=root).code == 0
    assert ",docker," not in run_envgen("env", cwd=root).out
    decisions = json.loads(
        run_envgen("explain", "--format", "json", "http://docker:2375/", cwd=root).out
    )
    assert decisions["tools"]["curl"]["decision"] == "proxy"
