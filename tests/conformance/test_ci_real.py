"""The CI targets read by real consumers (issue 5 acceptance).

GitLab: check-jsonschema's vendored GitLab CI schema on the include file, and gitlab-ci-local
expanding a pipeline whose jobs extend every template, schema-checked again after expansion.
Runner: tomllib and GitLab Runner's key list. GitHub: check-jsonschema's action and workflow
schemas and actionlint (with shellcheck) on the workflow and on a workflow using the local
action; the action's scripts are run by bash against a scratch $GITHUB_ENV and read back.
Hostile values survive every file unchanged in meaning; no secret value appears anywhere.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conformance.proxyreal import PROBES, node_modules
from tests.conftest import RunEnvgen, copy_examples, need_tool, write_tree

RUNNER_KEYS = json.loads(
    (Path(__file__).parent.parent / "reference" / "gitlab-runner-keys.json").read_text("utf-8")
)
SECRETS = {
    "PROXY_PASSWORD": "pr0xy-s3cret-value",
    "PYPI_TOKEN": "pypi-s3cret-value-123",
    "NPM_TOKEN": "npm-s3cret-value-456",
    "CI_JOB_TOKEN": "job-s3cret-value-789",
}

HOSTILE = """\
version: 1
proxy:
  http: http://ci:${PROXY_PASSWORD}@proxy.corp.example:3128
  no_proxy: [bücher.example, .corp.example, 10.0.0.0/8]
network:
  http_version: "1.1"
  retries: 2
  backoff: {min: 1s, max: 3s, factor: 2}
registries:
  npm:
    url: "https://npm.corp.example/$team/'q':ü/"
    token: ${NPM_TOKEN}
  pypi:
    index: "https://pypi.corp.example/simple/$user's:ü"
    extra:
      - url: https://gitlab.corp.example/api/v4/projects/42/packages/pypi/simple
        token: ${PYPI_TOKEN}
  go:
    proxy: ["https://goproxy.corp.example/a$b'c\\"d#e:f/ü", direct]
    private: [gitlab.corp.example]
    auth:
      - host: gitlab.corp.example
        username: gitlab-ci-token
        token: ${CI_JOB_TOKEN}
caches: {dir: ci-cache, npm: true, pip: true, go: true}
ci:
  timeout: 1h 30m
  retry: {max: 1, when: [runner_system_failure, api_failure]}
  attempts: {get_sources: 3, artifact_download: 2, restore_cache: 4, executor_job_section: 5}
runner:
  name: runner-1
  url: https://gitlab.corp.example/
  image: "registry.corp.example/img:1.0"
  pull_policy: [if-not-present, always]
  cpus: "2"
  memory: 1g
  cache: {type: gcs, shared: true, path: "p", gcs: {bucket: ci-cache-bucket}}
targets:
  gitlab-ci: ci/envgen.yml
  gitlab-runner: runner/config.toml
  github-actions: .github/actions/envgen/action.yml
  github-workflow: .github/workflows/envgen-check.yml
"""

GOPROXY = "https://goproxy.corp.example/a$b'c\"d#e:f/ü|direct"


def schema_check(schema: str, path: Path) -> None:
    tool = need_tool("check-jsonschema")
    extra = ["--data-transform", "gitlab-ci", "--regex-variant", "nonunicode"]
    argv = [tool, "--builtin-schema", schema, *(extra if "gitlab" in schema else []), str(path)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def yaml_load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text("utf-8"))


def unescape_gitlab(value: str) -> str:
    """What GitLab makes of a variable value, references left unexpanded: '$$' -> '$'."""
    return value.replace("$$", "$")


@pytest.fixture(params=["example", "hostile"])
def repo(request: pytest.FixtureRequest, tmp_path: Path, run_envgen: RunEnvgen) -> Path:
    root = tmp_path / "repo"
    if request.param == "example":
        copy_examples(root)
    else:
        write_tree(root, {"envgen.yaml": HOSTILE})
    result = run_envgen("render", cwd=root)
    assert result.code == 0, result.err
    (root / ".git").mkdir(exist_ok=True)  # actionlint resolves local actions in a git root
    return root


def _target(root: Path, name: str) -> Path:
    policy = yaml_load(root / "envgen.yaml")
    return root / policy["targets"][name]


# --- GitLab CI ---------------------------------------------------------------------------------


def gitlab_ci_local(
    repo: Path, pipeline: dict[str, Any], home: Path, *argv: str
) -> subprocess.CompletedProcess[str]:
    """Commit `pipeline` as the repo's .gitlab-ci.yml and run gitlab-ci-local there."""
    (repo / ".gitlab-ci.yml").write_text(json.dumps(pipeline), encoding="utf-8")
    gcl = node_modules() / ".bin" / "gitlab-ci-local"
    git = need_tool("git")
    ident = ["-c", "user.name=envgen tests", "-c", "user.email=tests@envgen.invalid"]
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    subprocess.run([git, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([git, "-C", str(repo), *ident, "commit", "-qm", "test"], check=True)
    done = subprocess.run(
        [str(gcl), *argv],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "HOME": str(home)},
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_gitlab_include_is_valid_and_expands(repo: Path, tmp_path: Path) -> None:
    include = _target(repo, "gitlab-ci")
    schema_check("vendor.gitlab-ci", include)
    doc = yaml_load(include)
    templates = [k for k in doc if k.startswith(".")]
    assert templates
    pipeline = {"include": [{"local": str(include.relative_to(repo))}]}
    for name in templates:
        pipeline[f"job{name.replace('.', '-')}"] = {"extends": [name], "script": ["true"]}
    done = gitlab_ci_local(repo, pipeline, tmp_path, "--preview")
    preview = tmp_path / "preview.yml"
    preview.write_text(done.stdout, encoding="utf-8")
    schema_check("vendor.gitlab-ci", preview)
    expanded = yaml_load(preview)
    for name in templates:
        job = expanded[f"job{name.replace('.', '-')}"]
        if "before_script" in doc[name]:
            assert job["before_script"] == doc[name]["before_script"], name
        # gitlab-ci-local 4.73 fills in policy/when and drops fallback_keys (which it does not
        # know); key and paths must arrive as written.
        for got, meant in zip(job.get("cache", []), doc[name].get("cache", []), strict=True):
            assert (got["key"], got["paths"]) == (meant["key"], meant["paths"]), name


def test_gitlab_values_mean_the_policy(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    root = write_tree(tmp_path / "repo", {"envgen.yaml": HOSTILE})
    assert run_envgen("render", cwd=root).code == 0
    doc = yaml_load(root / "ci" / "envgen.yml")
    variables = doc["variables"]
    assert all(isinstance(v, str) for v in variables.values())
    assert unescape_gitlab(variables["GOPROXY"]) == GOPROXY
    assert variables["GOPROXY"].count("$$") == 1
    assert (
        unescape_gitlab(variables["PIP_INDEX_URL"]) == "https://pypi.corp.example/simple/$user's:ü"
    )
    assert variables["npm_config_registry"] == "https://npm.corp.example/$$team/'q':ü/"
    # A policy reference stays a reference for GitLab to expand from CI/CD variables.
    assert variables["http_proxy"] == "http://ci:${PROXY_PASSWORD}@proxy.corp.example:3128"
    assert "xn--bcher-kva.example" in variables["NO_PROXY"].split(",")
    assert variables["GOMODCACHE"] == "${CI_PROJECT_DIR}/ci-cache/go/mod"
    assert {k: variables[k] for k in variables if k.endswith("_ATTEMPTS")} == {
        "GET_SOURCES_ATTEMPTS": "3",
        "ARTIFACT_DOWNLOAD_ATTEMPTS": "2",
        "RESTORE_CACHE_ATTEMPTS": "4",
        "EXECUTOR_JOB_SECTION_ATTEMPTS": "5",
    }
    assert doc["default"] == {
        "retry": {"max": 1, "when": ["runner_system_failure", "api_failure"]},
        "timeout": "1h 30m",
    }
    assert doc[".envgen-cache-go"]["cache"][0]["key"] == "go-$CI_COMMIT_REF_SLUG"
    assert doc[".envgen-cache-go"]["cache"][0]["fallback_keys"] == ["go-$CI_DEFAULT_BRANCH"]
    assert doc[".envgen-cache-go-pull"]["cache"][0]["policy"] == "pull"
    assert doc[".envgen-cache-go"]["cache"][0]["paths"] == ["ci-cache/go/mod", "ci-cache/go/build"]
    script = "\n".join(doc[".envgen-credentials"]["before_script"])
    assert "PIP_EXTRA_INDEX_URL" in script and "${PYPI_TOKEN:?" in script


def test_gitlab_job_sees_the_policy(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    """A job that extends the templates really runs (gitlab-ci-local, shell executor) and its
    environment is the policy: literal '$' kept, `${NAME}` references filled from CI/CD
    variables, cache directories under the project, private credentials set by before_script."""
    need_tool("rsync")  # gitlab-ci-local copies the tree with it before running a job
    root = write_tree(tmp_path / "repo", {"envgen.yaml": HOSTILE})
    assert run_envgen("render", cwd=root).code == 0
    names = [
        "GOPROXY",
        "PIP_INDEX_URL",
        "PIP_EXTRA_INDEX_URL",
        "npm_config_registry",
        "HTTP_PROXY",
        "https_proxy",
        "NO_PROXY",
        "GOMODCACHE",
        "npm_config_cache",
        "GET_SOURCES_ATTEMPTS",
    ]
    dump = "for n in " + " ".join(names) + '; do printenv "$n" || echo "$n unset"; done'
    netrc = tmp_path / "job.netrc"
    pipeline = {
        "include": [{"local": "ci/envgen.yml"}],
        "variables": {"NETRC": str(netrc)},
        "show": {
            "extends": [".envgen-credentials", ".envgen-caches"],
            "script": [f"({dump}) > seen.txt"],
        },
    }
    secrets = [f"--variable={k}={v}" for k, v in SECRETS.items()]
    gitlab_ci_local(root, pipeline, tmp_path, *secrets, "show")

    seen = dict(zip(names, (root / "seen.txt").read_text("utf-8").splitlines(), strict=True))
    project = str(root)
    assert seen == {
        "GOPROXY": GOPROXY,
        "PIP_INDEX_URL": "https://pypi.corp.example/simple/$user's:ü",
        "PIP_EXTRA_INDEX_URL": "https://__token__:pypi-s3cret-value-123@gitlab.corp.example"
        "/api/v4/projects/42/packages/pypi/simple",
        "npm_config_registry": "https://npm.corp.example/$team/'q':ü/",
        "HTTP_PROXY": "http://ci:pr0xy-s3cret-value@proxy.corp.example:3128",
        "https_proxy": "http://ci:pr0xy-s3cret-value@proxy.corp.example:3128",
        "NO_PROXY": "xn--bcher-kva.example,.xn--bcher-kva.example,corp.example,.corp.example,"
        "10.0.0.0/8,localhost,.localhost,127.0.0.1,::1,[::1]",
        "GOMODCACHE": f"{project}/ci-cache/go/mod",
        "npm_config_cache": f"{project}/ci-cache/npm",
        "GET_SOURCES_ATTEMPTS": "3",
    }
    assert netrc.read_text("utf-8") == (
        "machine gitlab.corp.example login gitlab-ci-token password job-s3cret-value-789\n"
    )


def test_gitlab_credentials_script_runs(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    root = write_tree(tmp_path / "repo", {"envgen.yaml": HOSTILE})
    assert run_envgen("render", cwd=root).code == 0
    lines = yaml_load(root / "ci" / "envgen.yml")[".envgen-credentials"]["before_script"]
    script = "\n".join([*lines, 'printf "%s" "$PIP_EXTRA_INDEX_URL"'])
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **SECRETS}
    done = subprocess.run(
        [need_tool("bash"), "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout == (
        f"https://__token__:{SECRETS['PYPI_TOKEN']}@gitlab.corp.example/api/v4/projects/42/"
        "packages/pypi/simple"
    )
    netrc = (tmp_path / ".netrc").read_text("utf-8")
    assert (
        netrc
        == f"machine gitlab.corp.example login gitlab-ci-token password {SECRETS['CI_JOB_TOKEN']}\n"
    )


# --- GitLab Runner -----------------------------------------------------------------------------


def check_runner_table(table: dict[str, Any], name: str) -> None:
    spec = RUNNER_KEYS["tables"][name]
    types: dict[str, Any] = {
        "string": str,
        "integer": int,
        "boolean": bool,
        "array of strings": list,
        "string or array of strings": (str, list),
        "table": dict,
        "array of tables": list,
        "duration": (str, int),
    }
    for key, value in table.items():
        assert key in spec, f"{name}.{key} is not a GitLab Runner key"
        kind = spec[key]["type"]
        assert isinstance(value, types[kind]), (name, key, kind)
        if "enum" in spec[key]:
            assert value in spec[key]["enum"], (name, key, value)
        if kind in ("array of strings", "string or array of strings") and isinstance(value, list):
            assert all(isinstance(v, str) for v in value)
            if "item_enum" in spec[key]:
                assert set(value) <= set(spec[key]["item_enum"])
        if kind == "table":
            check_runner_table(value, spec[key]["table"])
        if kind == "array of tables":
            for item in value:
                check_runner_table(item, spec[key]["table"])


def test_runner_config_parses_and_every_key_is_known(repo: Path) -> None:
    data = tomllib.loads(_target(repo, "gitlab-runner").read_text("utf-8"))
    check_runner_table(data, "")
    runner = data["runners"][0]
    assert "token" not in runner  # added by `gitlab-runner register --template-config`
    cache = runner["cache"]
    if cache["Type"] == "s3":
        assert cache["s3"]["AuthenticationType"] == "iam"
        assert not {"AccessKey", "SecretKey", "SessionToken"} & set(cache["s3"])
    if cache["Type"] == "gcs":
        assert not {"AccessID", "PrivateKey", "CredentialsFile"} & set(cache["gcs"])
    env = dict(item.split("=", 1) for item in runner["environment"])
    assert env["NO_PROXY"] == env["no_proxy"] and env["HTTP_PROXY"] == env["http_proxy"]
    # Stall detection always; HTTP/1.1 where the policy asks (both cases here do).
    assert runner["pre_get_sources_script"].split("\n")[:2] == [
        "git config --global http.version HTTP/1.1",
        "git config --global http.lowSpeedLimit 1",
    ]
    assert re.fullmatch(
        r"git config --global http\.lowSpeedTime [0-9]+",
        runner["pre_get_sources_script"].split("\n")[2],
    )


def test_runner_values_mean_the_policy(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    root = write_tree(tmp_path / "repo", {"envgen.yaml": HOSTILE})
    assert run_envgen("render", cwd=root).code == 0
    data = tomllib.loads((root / "runner" / "config.toml").read_text("utf-8"))
    runner = data["runners"][0]
    assert data["concurrent"] == 1
    assert runner["docker"] == {
        "image": "registry.corp.example/img:1.0",
        "volumes": ["/cache"],
        "pull_policy": ["if-not-present", "always"],
        "cpus": "2",
        "memory": "1g",
    }
    assert runner["cache"] == {
        "Type": "gcs",
        "Shared": True,
        "Path": "p",
        "gcs": {"BucketName": "ci-cache-bucket"},
    }


def test_runner_environment_expands_to_the_policy(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    """The runner expands its `environment` entries as job variables (Go's os.Expand with the
    runner's mapping, probes/runnerexpand.go): references are filled from CI/CD variables, and
    a '$$' (GOPROXY below, through the same quoting) is one literal '$'."""
    root = write_tree(tmp_path / "repo", {"envgen.yaml": HOSTILE})
    assert run_envgen("render", cwd=root).code == 0
    entries = tomllib.loads((root / "runner" / "config.toml").read_text("utf-8"))["runners"][0][
        "environment"
    ]
    goproxy = yaml_load(root / "ci" / "envgen.yml")["variables"]["GOPROXY"]
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "GOCACHE": str(tmp_path / "gocache"),
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "",
        "GO111MODULE": "off",
        "PROXY_PASSWORD": SECRETS["PROXY_PASSWORD"],
    }
    done = subprocess.run(
        [need_tool("go"), "run", str(PROBES / "runnerexpand.go"), *entries, goproxy],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tmp_path,
    )
    *expanded, goproxy_seen = done.stdout.splitlines()
    proxy = "http://ci:pr0xy-s3cret-value@proxy.corp.example:3128"
    no_proxy = (
        "xn--bcher-kva.example,.xn--bcher-kva.example,corp.example,.corp.example,"
        "10.0.0.0/8,localhost,.localhost,127.0.0.1,::1,[::1]"
    )
    assert expanded == [
        f"http_proxy={proxy}",
        f"HTTP_PROXY={proxy}",
        f"https_proxy={proxy}",
        f"HTTPS_PROXY={proxy}",
        f"no_proxy={no_proxy}",
        f"NO_PROXY={no_proxy}",
    ]
    assert goproxy_seen == GOPROXY


# --- GitHub Actions ----------------------------------------------------------------------------


def actionlint(root: Path, workflow: Path) -> None:
    done = subprocess.run(
        [need_tool("actionlint"), f"-shellcheck={need_tool('shellcheck')}", str(workflow)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_and_workflow_pass_schemas_and_actionlint(repo: Path) -> None:
    action = _target(repo, "github-actions")
    workflow = _target(repo, "github-workflow")
    schema_check("vendor.github-actions", action)
    schema_check("vendor.github-workflows", workflow)
    actionlint(repo, workflow)
    # A second workflow that only uses the local composite action, linted with it.
    action_dir = action.parent.relative_to(repo)
    user = repo / ".github" / "workflows" / "uses-action.yml"
    user.write_text(
        "on: [push]\npermissions: {contents: read}\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
        f"    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n"
        f"      - uses: ./{action_dir}\n      - run: npm ci\n",
        encoding="utf-8",
    )
    actionlint(repo, user)


def test_every_run_step_has_a_shell_and_actions_are_pinned(repo: Path) -> None:
    action = yaml_load(_target(repo, "github-actions"))
    workflow = yaml_load(_target(repo, "github-workflow"))
    steps = action["runs"]["steps"] + workflow["jobs"]["envgen-check"]["steps"]
    for step in steps:
        if "run" in step:
            assert step.get("shell") == "bash", step
        if "uses" in step and not step["uses"].startswith("./"):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    assert workflow["permissions"] == {"contents": "read"}


def run_action_steps(root: Path, tmp_path: Path) -> dict[str, str]:
    """Run every `run:` step of the composite action in bash, as the runner would, and read
    $GITHUB_ENV back the way GitHub does."""
    action = yaml_load(_target(root, "github-actions"))
    github_env = tmp_path / "github_env"
    github_env.write_text("", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "GITHUB_ENV": str(github_env),
        "GITHUB_WORKSPACE": str(root),
        **SECRETS,
    }
    for step in action["runs"]["steps"]:
        if "run" in step and "git config" not in step["run"]:
            subprocess.run([need_tool("bash"), "-e", "-c", step["run"]], env=env, check=True)
    return read_github_env(github_env.read_text("utf-8"))


def read_github_env(text: str) -> dict[str, str]:
    """$GITHUB_ENV as the runner reads it (actions/runner FileCommandManager SetEnvFileCommand):
    `NAME=value` lines, and `NAME<<DELIMITER` ... `DELIMITER` blocks whose value may span lines."""
    out: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value: list[str] = []
            while lines[i] != delimiter:
                value.append(lines[i])
                i += 1
            i += 1
            out[name] = "\n".join(value)
        else:
            name, value_text = line.split("=", 1)
            out[name] = value_text
    return out


def test_action_exports_the_policy(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    root = write_tree(tmp_path / "repo", {"envgen.yaml": HOSTILE})
    assert run_envgen("render", cwd=root).code == 0
    got = run_action_steps(root, tmp_path)
    assert got["GOPROXY"] == GOPROXY
    assert got["PIP_INDEX_URL"] == "https://pypi.corp.example/simple/$user's:ü"
    assert got["npm_config_registry"] == "https://npm.corp.example/$team/'q':ü/"
    assert (
        got["http_proxy"]
        == got["HTTP_PROXY"]
        == (f"http://ci:{SECRETS['PROXY_PASSWORD']}@proxy.corp.example:3128")
    )
    assert got["NO_PROXY"] == got["no_proxy"]
    assert got["GOCACHE"] == f"{root}/ci-cache/go/build"
    assert got["PIP_EXTRA_INDEX_URL"].startswith(f"https://__token__:{SECRETS['PYPI_TOKEN']}@")
    assert got["NPM_TOKEN"] == SECRETS["NPM_TOKEN"]
    netrc = (tmp_path / "home" / ".netrc").read_text("utf-8")
    assert SECRETS["CI_JOB_TOKEN"] in netrc


def test_caller_env_block_documents_every_reference(repo: Path) -> None:
    text = _target(repo, "github-actions").read_text("utf-8")
    policy_text = (repo / "envgen.yaml").read_text("utf-8")
    bases = (
        [p.read_text("utf-8") for p in (repo / "policies").glob("*.yaml")]
        if (repo / "policies").is_dir()
        else []
    )
    refs = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)\}", "\n".join([policy_text, *bases])))
    for name in refs:
        assert f"#     {name}: ${{{{ secrets.{name} }}}}" in text, name


def test_workflow_install_retries_with_backoff(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    root = write_tree(tmp_path / "repo", {"envgen.yaml": HOSTILE})
    assert run_envgen("render", cwd=root).code == 0
    workflow = yaml_load(root / ".github" / "workflows" / "envgen-check.yml")
    job = workflow["jobs"]["envgen-check"]
    assert job["timeout-minutes"] == 90
    install = next(s for s in job["steps"] if s.get("name", "").startswith("Install"))
    shims = tmp_path / "bin"
    shims.mkdir()
    log = tmp_path / "log"
    (shims / "python").write_text(f"#!/bin/sh\necho python >> {log}\nexit 1\n", encoding="utf-8")
    (shims / "sleep").write_text(f"#!/bin/sh\necho sleep $1 >> {log}\n", encoding="utf-8")
    for shim in shims.iterdir():
        shim.chmod(0o755)
    done = subprocess.run(
        [need_tool("bash"), "-e", "-c", install["run"]],
        env={"PATH": f"{shims}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    # retries: 2 -> 3 attempts; back-off 1s, doubling, capped at 3s.
    assert log.read_text("utf-8").split("\n")[:-1] == [
        "python",
        "sleep 1",
        "python",
        "sleep 2",
        "python",
    ]


def test_no_secret_value_in_any_rendered_file(repo: Path) -> None:
    for path in repo.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            text = path.read_text("utf-8", errors="replace")
            for value in SECRETS.values():
                assert value not in text, path


GOLDEN = Path(__file__).parent.parent / "golden"


@pytest.mark.parametrize(
    ("schema", "pattern"),
    [
        ("vendor.gitlab-ci", "*/expected/.gitlab/ci/*.yml"),
        ("vendor.github-actions", "*/expected/.github/actions/*/action.yml"),
        ("vendor.github-workflows", "*/expected/.github/workflows/*.yml"),
    ],
)
def test_every_golden_ci_file_passes_its_schema(schema: str, pattern: str) -> None:
    paths = sorted(GOLDEN.glob(pattern))
    assert paths, pattern
    for path in paths:
        schema_check(schema, path)


def test_every_golden_runner_config_is_known_to_the_runner() -> None:
    paths = sorted(GOLDEN.glob("*/expected/**/config.toml"))
    assert paths
    for path in paths:
        check_runner_table(tomllib.loads(path.read_text("utf-8")), "")


def test_retry_when_values_are_gitlabs_own() -> None:
    """ci.retry.when accepts exactly the values of GitLab's CI schema (retry_errors)."""
    import typing

    import check_jsonschema

    from envgen.schema.ci import RetryWhen

    vendor = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor"
    schema = json.loads(next(vendor.glob("gitlab-ci*.json")).read_text("utf-8"))
    values = [item["const"] for item in schema["definitions"]["retry_errors"]["oneOf"]]
    assert list(typing.get_args(RetryWhen)) == values


def test_every_action_script_passes_shellcheck_at_default_severity(repo: Path) -> None:
    """actionlint does not lint a composite action's `run:` steps: shellcheck each one, style
    included (SC2129 and the like), as bash, which is the shell each step names."""
    action = yaml_load(_target(repo, "github-actions"))
    scripts = [s["run"] for s in action["runs"]["steps"] if "run" in s]
    assert len(scripts) >= 3
    for i, script in enumerate(scripts):
        path = repo / f"step-{i}.bash"
        # GitHub replaces ${{ ... }} before bash runs; give shellcheck what bash would see.
        text = re.sub(r"\$\{\{ '\$\{\{' \}\}", "${{", script)
        path.write_text("#!/bin/bash\n" + text, encoding="utf-8")
        done = subprocess.run(
            [need_tool("shellcheck"), "--severity=style", str(path)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"step {i}:\n{done.stdout}"


def test_github_env_survives_a_value_with_a_line_break(tmp_path: Path) -> None:
    """The delimiter form, run by bash and read back as the runner reads $GITHUB_ENV."""
    from envgen.ci import githubenv
    from envgen.formats.shell import sh_word

    value = "first line\nNAME2=injected\nlast"
    script = "\n".join(githubenv.block([("ONE", sh_word(value)), ("TWO", sh_word("x=y"))]))
    github_env = tmp_path / "github_env"
    subprocess.run(
        [need_tool("bash"), "-e", "-c", script],
        env={"PATH": os.environ["PATH"], "GITHUB_ENV": str(github_env)}, check=True,
    )  # fmt: skip
    assert read_github_env(github_env.read_text("utf-8")) == {"ONE": value, "TWO": "x=y"}


WORKFLOW_POLICY = """version: 1
proxy: {http: "http://proxy.corp.example:3128"}
registries:
  pypi:
    extra: [{url: "https://gitlab.corp.example/pypi/simple", token: "${PYPI_TOKEN}"}]
ci:
  github: {check_with_policy: %s, runs_on: [self-hosted, linux]%s}
targets:
  github-actions: .github/actions/envgen/action.yml
  github-workflow: .github/workflows/envgen-check.yml
"""


@pytest.mark.parametrize("with_policy", [False, True], ids=["plain", "with-policy"])
def test_drift_workflow_needs_no_secret_and_runs_once_per_change(
    tmp_path: Path, run_envgen: RunEnvgen, with_policy: bool
) -> None:
    extra = "" if with_policy else ", default_branch: main"
    policy = WORKFLOW_POLICY % ("true" if with_policy else "false", extra)
    root = write_tree(tmp_path / "repo", {"envgen.yaml": policy})
    assert run_envgen("render", cwd=root).code == 0, "render"
    path = _target(root, "github-workflow")
    schema_check("vendor.github-workflows", path)
    actionlint(root, path)
    text = path.read_text("utf-8")
    assert "secrets." not in text, "fork and Dependabot pull requests have no secrets"
    workflow = yaml_load(path)
    job = workflow["jobs"]["envgen-check"]
    assert job["runs-on"] == ["self-hosted", "linux"]
    assert workflow["concurrency"]["cancel-in-progress"] is True
    uses = [s for s in job["steps"] if s.get("uses", "").startswith("./")]
    if with_policy:
        assert workflow["on"]["push"] == {}
        assert job["if"] == (
            "github.event_name == 'pull_request' || "
            "github.ref_name == github.event.repository.default_branch"
        )
        (step,) = uses
        assert step["with"] == {"credentials": "false"}
        action = yaml_load(_target(root, "github-actions"))
        assert action["inputs"]["credentials"]["default"] == "true"
        (creds,) = [s for s in action["runs"]["steps"] if s.get("name") == "Job-time credentials"]
        assert creds["if"] == "inputs.credentials == 'true'"
    else:
        assert workflow["on"]["push"] == {"branches": ["main"]}
        assert "if" not in job and uses == []


def test_gitlab_jobs_extend_each_cache_template_and_skip_credentials(
    tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    """A job per cache template and per pull-only variant runs under gitlab-ci-local; a job
    that does not extend .envgen-credentials gets no credential (its before_script is absent)."""
    need_tool("rsync")
    policy = """version: 1
registries:
  pypi:
    index: https://pypi.corp.example/simple
    extra: [{url: "https://gitlab.corp.example/pypi/simple", token: "${PYPI_TOKEN}"}]
caches: {dir: ci-cache, npm: true, pip: true, uv: true, go: true}
targets:
  gitlab-ci: ci/envgen.yml
"""
    root = write_tree(tmp_path / "repo", {"envgen.yaml": policy})
    assert run_envgen("render", cwd=root).code == 0
    include = yaml_load(root / "ci" / "envgen.yml")
    templates = sorted(k for k in include if k.startswith(".envgen-cache"))
    assert ".envgen-cache-uv-pull" in templates and ".envgen-caches-pull" in templates
    probe = 'printf "%s|%s\\n" "${PIP_EXTRA_INDEX_URL:-unset}" "${UV_CACHE_DIR:-unset}"'
    jobs = {
        f"job{i}": {"extends": [name], "script": [f"({probe}) > {name.lstrip('.')}.txt"]}
        for i, name in enumerate(templates)
    }
    pipeline = {"include": [{"local": "ci/envgen.yml"}], **jobs}
    gitlab_ci_local(root, pipeline, tmp_path, f"--variable=PYPI_TOKEN={SECRETS['PYPI_TOKEN']}")
    for name in templates:
        extra, uv_cache = (root / f"{name.lstrip('.')}.txt").read_text().strip().split("|")
        assert extra == "unset", "no credentials in a job that did not ask for them"
        assert uv_cache == f"{root}/ci-cache/uv"
    for name in templates:
        (entry, *_) = include[name]["cache"]
        assert entry["fallback_keys"] == [
            entry["key"].replace("$CI_COMMIT_REF_SLUG", "$CI_DEFAULT_BRANCH")
        ]
        assert (entry.get("policy") == "pull") == name.endswith("-pull")
