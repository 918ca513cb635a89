"""The property tests' in-process parsers agree with the real tools on generated policies.

tests/test_properties.py checks thousands of hostile policies with in-process parsers of each
format; here npm's own ini parser, `pip config list` and `go env` read the files of a sample
of those policies (at most 50 per run, the same derandomised sample every run) and must see
exactly what the in-process parsers saw. The real tools are slow; the sample keeps the run short.
"""

from __future__ import annotations

import configparser
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.conformance.test_go_real import read_go_env
from tests.realtools import npm_ini_parse, pip_config_values
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
        (work / f"{target}.out").write_bytes(content)

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
