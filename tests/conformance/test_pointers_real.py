"""Pointers (docs/contract.md 4.5): the real tools find the rendered files through them.

`envgen env` is sourced by the real bash in a clean home that holds the person's own
configuration, and then pip, go, npm, curl and git are asked what they read: an adding pointer
(git's include.path) keeps the person's settings, a replacing one (`--all-pointers`) hides them
exactly as its comment says. A GitLab job (gitlab-ci-local) shows that the include's pointers
expand to the files the tools read.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conformance.test_ci_real import gitlab_ci_local
from tests.conftest import RunEnvgen, copy_examples, need_tool, write_tree
from tests.realtools import clean_env

pytestmark = pytest.mark.conformance


@pytest.fixture
def repo(tmp_path: Path, run_envgen: RunEnvgen) -> Path:
    root = copy_examples(tmp_path / "repo")
    assert run_envgen("render", cwd=root).code == 0
    return root


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A person's own configuration for each tool, with a value envgen never writes."""
    return write_tree(tmp_path / "home", {
        ".config/pip/pip.conf": "[global]\nno-color = true\n",
        ".gitconfig": "[user]\n\tname = Person\n",
        ".npmrc": "fund=false\n",
        ".curlrc": "user-agent = from-home\n",
    })  # fmt: skip


def sourced(env_text: str, command: str, home: Path, cwd: Path) -> str:
    """Source the environment in bash, then run `command` (from `cwd`); its stdout."""
    script = home.parent / "env.sh"
    script.write_text(env_text, encoding="utf-8")
    proc = subprocess.run(
        [need_tool("bash"), "-c", f'. "{script}" && {command}'],
        env=clean_env(home), cwd=cwd, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def pip_config(env_text: str, home: Path, cwd: Path) -> str:
    return sourced(env_text, f"{sys.executable} -m pip config list", home, cwd)


def test_env_prints_the_adding_pointers_only(
    repo: Path, home: Path, tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    result = run_envgen("env", cwd=repo)
    assert result.code == 0, result.err
    for name in ("PIP_CONFIG_FILE", "GOENV", "NPM_CONFIG_USERCONFIG", "CURL_HOME", "DOCKER_CONFIG"):
        assert name not in result.out
    assert "--all-pointers" in result.err, "say how to get the replacing pointers"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # git: the rendered file is included after the person's own configuration.
    assert sourced(result.out, "git config user.name", home, elsewhere) == "Person\n"
    origin = sourced(result.out, "git config --show-origin --get http.sslCAInfo", home, elsewhere)
    assert origin.split("\t") == [
        f"file:{repo.resolve()}/.envgen/gitconfig",
        "/etc/ssl/certs/corp-root.pem\n",
    ]
    # pip keeps the person's file.
    assert "global.no-color='true'" in pip_config(result.out, home, elsewhere)


def test_all_pointers_point_each_tool_at_its_file(
    repo: Path, home: Path, tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    result = run_envgen("env", "--all-pointers", cwd=repo)
    assert result.code == 0, result.err
    env = result.out
    root = repo.resolve()
    for name, hides in [
        ("PIP_CONFIG_FILE", "~/.config/pip/pip.conf"),
        ("GOENV", "go env -w"),
        ("NPM_CONFIG_USERCONFIG", "~/.npmrc"),
        ("CURL_HOME", "~/.curlrc"),
        ("DOCKER_CONFIG", "~/.docker/config.json"),
    ]:
        found = re.search(rf"^(# {name} replaces .*)\n(export {name}=.*)$", env, re.M)
        assert found, name
        comment, export = found.groups()
        assert hides in comment
        assert str(root) in export
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    pip = pip_config(env, home, elsewhere)
    assert "global.index-url='https://pypi.corp.example/simple'" in pip
    assert "no-color" not in pip, "the comment says pip skips the person's file"

    go_env = (repo / "go.env").read_text("utf-8")
    goproxy = re.search(r"^GOPROXY=(.*)$", go_env, re.M).group(1)  # type: ignore[union-attr]
    got = sourced(env, f"unset GOPROXY && {need_tool('go')} env GOPROXY", home, elsewhere)
    assert got == goproxy + "\n"

    npm = need_tool("npm")
    got = sourced(env, f"unset npm_config_registry && {npm} config get registry", home, elsewhere)
    assert got == "https://npm.corp.example/\n"
    assert sourced(env, f"{npm} config get fund", home, elsewhere) == "true\n", (
        "the person's ~/.npmrc is hidden (fund is true by default)"
    )

    curl = need_tool("curl")
    dump = tmp_path / "c.c"
    sourced(env, f"{curl} --libcurl {dump} -s file:///dev/null", home, elsewhere)
    options = dump.read_text("utf-8")
    assert "CURL_HTTP_VERSION_1_1" in options, "the rendered .curlrc was read"
    assert "from-home" not in options, "the person's ~/.curlrc is hidden"

    docker_dir = re.search(r"^export DOCKER_CONFIG='(.*)'$", env, re.M).group(1)  # type: ignore[union-attr]
    assert (Path(docker_dir) / "config.json").is_file(), "the docker CLI reads config.json there"


def test_a_curl_file_not_named_curlrc_gets_no_curl_home(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    policy = "version: 1\ntargets:\n  curl: tools/curl.conf\n  pip: pip.conf\n"
    root = write_tree(tmp_path / "r", {"envgen.yaml": policy})
    result = run_envgen("env", "--all-pointers", cwd=root)
    assert result.code == 0, result.err
    assert "CURL_HOME" not in result.out
    assert f"export PIP_CONFIG_FILE='{root.resolve()}/pip.conf'" in result.out


def test_a_gitlab_job_reads_the_files_through_the_pointers(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    need_tool("rsync")
    policy = """version: 1
registries:
  npm: {url: "https://npm.corp.example/"}
  pypi: {index: "https://pypi.corp.example/simple"}
  go: {proxy: ["https://goproxy.corp.example"]}
network: {http_version: "1.1", retries: 2}
targets:
  npm: .npmrc
  pip: pip.conf
  go: go.env
  git: .envgen/gitconfig
  curl: .envgen/curl/.curlrc
  gitlab-ci: ci/envgen.yml
"""
    root = write_tree(tmp_path / "repo", {"envgen.yaml": policy})
    assert run_envgen("render", cwd=root).code == 0
    go, npm, curl = need_tool("go"), need_tool("npm"), need_tool("curl")
    script = [
        "unset PIP_INDEX_URL GOPROXY npm_config_registry",
        f"{sys.executable} -m pip config list > pip.txt",
        f"{go} env GOPROXY > go.txt",
        f"(cd /tmp && {npm} config get registry) > npm.txt",
        "git config --show-origin --get http.version > git.txt",
        f"{curl} --libcurl curl.c -s file:///dev/null",
    ]
    pipeline = {"include": [{"local": "ci/envgen.yml"}], "show": {"script": script}}
    home = write_tree(tmp_path / "home", {".npmrc": "registry=https://wrong.example/\n"})
    gitlab_ci_local(root, pipeline, home, "show")

    assert "global.index-url='https://pypi.corp.example/simple'" in (root / "pip.txt").read_text()
    assert (root / "go.txt").read_text() == "https://goproxy.corp.example\n"
    assert (root / "npm.txt").read_text() == "https://npm.corp.example/\n"
    origin = (root / "git.txt").read_text()
    assert origin.startswith("file:") and origin.rstrip().endswith(".envgen/gitconfig\tHTTP/1.1")
    assert "CURL_HTTP_VERSION_1_1" in (root / "curl.c").read_text()
