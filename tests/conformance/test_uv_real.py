"""uv reads what envgen gives it: the index from UV_DEFAULT_INDEX and 1 + UV_HTTP_RETRIES
attempts against a loopback index that keeps answering 503."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conformance.faults import fault_server
from tests.conftest import RunEnvgen, need_tool, write_tree
from tests.realtools import clean_env

pytestmark = pytest.mark.conformance


@pytest.mark.parametrize("retries", [0, 2])
def test_uv_asks_the_policy_index_one_plus_retries_times(
    tmp_path: Path, run_envgen: RunEnvgen, retries: int
) -> None:
    uv = need_tool("uv")
    with fault_server("503", fail=1000) as server:
        policy = (
            f"version: 1\nnetwork: {{retries: {retries}, timeout: 5s}}\n"
            f"registries:\n  pypi: {{index: 'http://127.0.0.1:{server.port}/simple'}}\n"
        )
        repo = write_tree(tmp_path / "repo", {"envgen.yaml": policy})
        env_text = run_envgen("env", cwd=repo).out
        assert f"export UV_HTTP_RETRIES='{retries}'" in env_text
        script = tmp_path / "env.sh"
        script.write_text(env_text, encoding="utf-8")
        home = tmp_path / "home"
        home.mkdir()
        proc = subprocess.run(
            [need_tool("bash"), "-c",
             f'. "{script}" && echo envgen-probe | {uv} pip compile - --no-cache '
             "--no-config --python-preference only-system"],
            env=clean_env(home), capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
    assert proc.returncode != 0
    asked = [p for p in server.requests if p.startswith("/simple/envgen-probe")]
    assert len(asked) == 1 + retries, (server.requests, proc.stderr)
