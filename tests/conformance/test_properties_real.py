"""The property tests' in-process parsers agree with the real tools on generated policies.

tests/test_properties.py checks thousands of hostile policies with in-process parsers of each
format; here npm's own ini parser, `pip config list` and `go env` read the files of a sample
of those policies (at most 50 per run, the same derandomised sample every run), and git (`git
config --list`) and curl (its `--libcurl` dump of the options it read) read theirs; each must see
exactly what the in-process parsers saw. The real tools are slow; the sample keeps the run short.
"""

from __future__ import annotations

import ast
import configparser
import json
import re
import subprocess
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.conformance.test_go_real import read_go_env
from tests.conftest import need_tool
from tests.realtools import clean_env, npm_ini_parse, pip_config_values
from tests.test_properties import _npm_ini, _render, policies

pytestmark = pytest.mark.conformance

SAMPLE = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SAMPLE
@given(data=policies())
def test_real_tools_read_what_the_properties_parse(
    data: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("real")
    files = _render(work, data)
    if files is None:
        return
    home = work / "home"
    home.mkdir()
    for target, content in files.items():
        (work / f"{target}.out").write_bytes(content)  # e.g. git.out, curl.out

    npmrc = [line for line in files["npm"].decode().splitlines() if not line.startswith(";")]
    assert npm_ini_parse(work / "npm.out", home) == dict(map(_npm_ini, npmrc))

    ours = configparser.RawConfigParser()
    ours.read_string(files["pip"].decode())
    seen = pip_config_values(work / "pip.out", home)
    assert seen == {f"global.{k}": v.strip() for k, v in ours.items("global")}

    lines = [line for line in files["go"].decode().splitlines() if line[:1] != "#"]
    expected = dict(line.split("=", 1) for line in lines)
    got = read_go_env(work / "go.out", work)
    assert {k: v for k, v in got.items() if k in expected} == expected
    assert json.loads(files["docker"])  # and dockerd's own check is in test_docker_real.py

    ca_file = data["network"]["ca_file"]
    git = subprocess.run(
        [need_tool("git"), "config", "-f", str(work / "git.out"), "--list"],
        env=clean_env(home), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    timeout = str(int(data["network"]["timeout"].removesuffix("s")))
    assert dict(line.split("=", 1) for line in git.splitlines()) == {
        "http.lowspeedlimit": "1", "http.lowspeedtime": timeout, "http.sslcainfo": ca_file,
    }  # fmt: skip
    curl = subprocess.run(
        [need_tool("curl"), "-q", "-K", str(work / "curl.out"), "--libcurl", str(work / "c.c"),
         "-s", "file:///dev/null"],
        env=clean_env(home), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert curl.returncode == 0, curl.stderr
    options = dict(
        re.findall(r'CURLOPT_(CAINFO|NOPROXY), "((?:[^"\\]|\\.)*)"', (work / "c.c").read_text())
    )
    assert ast.literal_eval(f'b"{options["CAINFO"]}"').decode() == ca_file
    assert ("NOPROXY" in options) == ("proxy" in data)
