"""Property tests: no string, however hostile, can break a generated file or add a key to it.

Two kinds of property, each run on ENVGEN_PROPERTY_EXAMPLES examples (2,000 in `nox -s tests`,
derandomised so that a run is reproducible; `nox -s fuzz` runs many more, randomly):

- each value encoder and writer, on arbitrary text: what it accepts, the format's own parser
  (configparser, ruamel, npm's ini rules, cmd/go's GOENV rules, systemd's unquoting) reads back
  as exactly that text, as exactly one key;
- whole policies with hostile text in every string field: whatever renders, every file parses
  with an in-process parser of its format and carries exactly the keys the policy asks for
  (the expected keys are worked out here from the policy, not by envgen).

tests/conformance/test_properties_real.py has the real tools read a sample of these policies.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import tomllib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from envgen.errors import EnvgenError
from envgen.formats.encoders import (
    goenv_value,
    ini_value,
    npmrc_key,
    npmrc_value,
    systemd_env_assignment,
)
from envgen.formats.lines import lines_file
from envgen.formats.yamlout import Block, dump
from envgen.generators import registry
from envgen.loader import load_policy
from envgen.plan import build_plan
from envgen.validate import validate

EXAMPLES = int(os.environ.get("ENVGEN_PROPERTY_EXAMPLES", "2000"))
RANDOM = os.environ.get("ENVGEN_PROPERTY_RANDOM") == "1"
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

#: Characters that end values, start comments, quote, escape, expand or separate in some format.
HOSTILE = [*"=;#[]\"' \t{}$%\\:/@!&*.,-_~()<>|?^`+",
    "\n", "\r", "\x00", "\x1b", "\x85", "\u2028", "\u2029", "\u202e", "é", "漢", "${", "${{",
    "${A}", "true", "null", "[global]", "key=v", "a", "b", "z", "0", "9",
]  # fmt: skip
hostile_text = st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=12).map("".join)
plain_text = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,8}", fullmatch=True)
#: Free-form policy text: hostile one time in twenty, so that a policy often has a hostile field
#: and still renders often enough for the property to say something (about half do).
free_text = st.integers(0, 19).flatmap(lambda i: hostile_text if i == 0 else plain_text)


# --- encoders and writers against their formats' parsers ---------------------------------------


def _npm_ini(line: str) -> tuple[str, Any]:
    """One `key=value` line as npm's ini reads it (ini 4: unsafe() cuts at an unescaped ;/#,
    a quoted value is JSON, true/false/null are not strings)."""
    key, _, raw = line.partition("=")
    value = raw.strip()
    if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
        return key.strip(), json.loads(value) if value[0] == '"' else value[1:-1]
    cut = re.split(r"(?<!\\)[;#]", value, maxsplit=1)[0].strip()
    return key.strip(), {"true": True, "false": False, "null": None}.get(cut, cut)


@PROPERTY
@given(hostile_text, hostile_text)
def test_npmrc_values_read_back_exactly(key: str, value: str) -> None:
    try:
        line = f"{npmrc_key(key)}={npmrc_value(value)}"
    except ValueError:
        return
    assert "\n" not in line and "\r" not in line
    assert _npm_ini(line) == (key, value)


@PROPERTY
@given(hostile_text)
def test_pip_conf_values_read_back_exactly(value: str) -> None:
    try:
        encoded = ini_value(value)
    except ValueError:
        return
    parser = configparser.RawConfigParser()
    parser.read_string(f"[global]\nindex-url = {encoded}\ntimeout = 1\n")
    assert parser.sections() == ["global"]
    assert dict(parser.items("global")) == {"index-url": value, "timeout": "1"}


@PROPERTY
@given(hostile_text)
def test_goenv_values_read_back_exactly(value: str) -> None:
    try:
        encoded = goenv_value(value)
    except ValueError:
        return
    # cmd/go readEnvFile: split on '\n', then at the first '='; nothing else.
    lines = f"GOPROXY={encoded}\nGOFLAGS=-x\n".split("\n")
    pairs = [line.split("=", 1) for line in lines if line]
    assert pairs == [["GOPROXY", value], ["GOFLAGS", "-x"]]


@PROPERTY
@given(hostile_text)
def test_systemd_assignments_read_back_exactly(value: str) -> None:
    try:
        word = systemd_env_assignment("HTTP_PROXY", value)
    except ValueError:
        return
    assert word[0] == word[-1] == '"' and "\n" not in word
    # systemd unquotes C-style inside double quotes and turns %% into %.
    body = re.sub(r"\\(.)", r"\1", word[1:-1].replace("%%", "\x00")).replace("\x00", "%")
    assert body == f"HTTP_PROXY={value}"


yaml_scalar = st.one_of(hostile_text, st.integers(-5, 5), st.booleans())
yaml_doc = st.recursive(
    st.dictionaries(hostile_text, yaml_scalar, max_size=3),
    lambda inner: st.dictionaries(
        hostile_text, st.one_of(inner, st.lists(yaml_scalar, max_size=3)), max_size=3
    ),
    max_leaves=8,
)


@PROPERTY
@given(yaml_doc, st.lists(hostile_text, max_size=3))
def test_the_yaml_writer_round_trips(doc: dict[str, Any], header: list[str]) -> None:
    try:
        text = dump(doc, header)
    except ValueError:
        # Only a comment line with a line break or control character is refused.
        assert any(re.search(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]", h) for h in header)
        return
    assert YAML(typ="safe", pure=True).load(text) == (doc or None)


@PROPERTY
@given(st.lists(hostile_text, min_size=1, max_size=4))
def test_yaml_blocks_round_trip(lines: list[str]) -> None:
    script = "\n".join(lines) + "\n"
    try:
        text = dump({"run": Block(script)})
    except ValueError:
        # Refused: control characters, a leading space or blank line, a trailing blank line.
        assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]|^[ \n]|\n\n$", script)
        return
    assert YAML(typ="safe", pure=True).load(text) == {"run": script}


# --- whole policies ------------------------------------------------------------------------------

host = st.from_regex(r"[a-z][a-z0-9]{0,6}(\.[a-z][a-z0-9]{0,6}){0,2}\.example", fullmatch=True)
ref = st.sampled_from(["${NPM_TOKEN}", "${TOKEN_2}", "${CI_JOB_TOKEN}"])


@st.composite
def policies(draw: st.DrawFn) -> dict[str, Any]:
    """A policy with every section, hostile text in every free-form string."""
    text = draw(free_text)

    def url(scheme: str = "https") -> str:
        return f"{scheme}://{draw(host)}/{draw(free_text)}/"

    data: dict[str, Any] = {"version": 1}
    if draw(st.booleans()):
        data["proxy"] = {
            "http": f"http://{draw(host)}:3128",
            "no_proxy": draw(st.lists(st.one_of(host, free_text), max_size=4)),
        }
    data["network"] = {
        "retries": draw(st.integers(0, 10)),
        "timeout": f"{draw(st.integers(1, 600))}s",
        "ca_file": "/" + draw(free_text),
    }
    scopes = {f"@{s}": {"url": url(), "token": draw(ref)} for s in draw(st.lists(host, max_size=2))}
    data["registries"] = {
        "npm": {"url": url(), "token": draw(ref), "scopes": scopes},
        "pypi": {"index": url(), "extra": [{"url": url(), "token": draw(ref)}]},
        "go": {
            "proxy": [url(), "direct"],
            "private": [f"{draw(host)}/{text}"],
            "insecure": draw(st.lists(free_text, max_size=1)),
        },
        "docker": {"mirrors": [url()], "insecure": [f"{draw(host)}:5000"]},
    }
    data["docker"] = {"max_download_attempts": draw(st.integers(1, 9))}
    data["caches"] = {"dir": draw(free_text), "npm": True, "pip": True, "go": True}
    data["ci"] = {"timeout": "30m", "retry": {"max": 2}}
    data["runner"] = {"name": "r1", "url": "https://gitlab.example/", "image": draw(free_text)}
    data["targets"] = {name: f"out/{name}.file" for name in sorted(registry())}
    return data


def _render(tmp: Path, data: dict[str, Any]) -> dict[str, bytes] | None:
    policy = tmp / "envgen.yaml"
    policy.write_text(json.dumps(data), encoding="utf-8")
    try:
        loaded = load_policy(policy)
        model, _ = validate(loaded, registry())
        plan = build_plan(loaded, model)
    except EnvgenError:
        return None  # refused with located errors: the other tests hold that to its promises
    return {a.target: a.content for a in plan.artifacts}


def _expected_npm_keys(data: dict[str, Any]) -> list[str]:
    npm = data["registries"]["npm"]
    keys = ["registry", "AUTH"] + [
        k for s in sorted(npm["scopes"]) for k in (f"{s}:registry", "AUTH")
    ]
    if "proxy" in data:
        keys += ["proxy", "https-proxy", "noproxy"]
    keys += ["fetch-retries", "fetch-retry-factor", "fetch-retry-mintimeout"]
    return [*keys, "fetch-retry-maxtimeout", "fetch-timeout", "cafile"]


def _check_files(data: dict[str, Any], files: dict[str, bytes]) -> None:
    texts = {name: content.decode("utf-8") for name, content in files.items()}
    for name, text in texts.items():
        assert not set(text) & set("\r\x00\x85\u2028\u2029\u202e"), name
    npmrc = [line for line in texts["npm"].splitlines() if not line.startswith(";")]
    keys = ["AUTH" if k.endswith(":_authToken") else k for k, _ in map(_npm_ini, npmrc)]
    assert keys == _expected_npm_keys(data)
    pip = configparser.RawConfigParser()
    pip.read_string(texts["pip"])
    assert pip.sections() == ["global"]
    assert set(dict(pip.items("global"))) == {
        "index-url", "extra-index-url", "timeout", "retries", "cert",
    }  # fmt: skip
    goenv = [line.split("=", 1)[0] for line in texts["go"].splitlines() if line[:1] != "#"]
    go = data["registries"]["go"]
    expected_go = ["GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB"]
    expected_go += ["GOINSECURE"] if go["insecure"] else []
    assert goenv == [*expected_go, "GOFLAGS"]
    daemon = json.loads(texts["docker"])
    expected_daemon = {"registry-mirrors", "insecure-registries", "max-download-attempts"}
    assert set(daemon) == expected_daemon | ({"proxies"} if "proxy" in data else set())
    client = json.loads(texts["docker-client"])
    assert client == (
        {"proxies": {"default": client["proxies"]["default"]}} if "proxy" in data else {}
    )
    environment = [line for line in texts["docker-systemd"].splitlines() if line[:1] not in "#["]
    assert len(environment) == (3 if "proxy" in data else 0)
    assert all(line.startswith('Environment="') and line.endswith('"') for line in environment)
    runner = tomllib.loads(texts["gitlab-runner"])
    assert set(runner) == {"concurrent", "runners"} and len(runner["runners"]) == 1
    assert runner["runners"][0]["docker"]["image"] == data["runner"]["image"]
    yaml = YAML(typ="safe", pure=True)
    include = yaml.load(StringIO(texts["gitlab-ci"]))
    assert set(include) == {
        "variables", "default", ".envgen-credentials", ".envgen-caches", ".envgen-caches-pull",
        ".envgen-cache-npm", ".envgen-cache-npm-pull", ".envgen-cache-pip",
        ".envgen-cache-pip-pull", ".envgen-cache-go", ".envgen-cache-go-pull",
    }  # fmt: skip
    assert all(isinstance(v, str) for v in include["variables"].values())
    action = yaml.load(StringIO(texts["github-actions"]))
    credentials = any(s.get("name") == "Job-time credentials" for s in action["runs"]["steps"])
    assert set(action) == {"name", "description", "runs", *(["inputs"] if credentials else [])}
    assert [s.get("uses", "run")[:13] for s in action["runs"]["steps"]].count("actions/cache") == 3
    workflow = yaml.load(StringIO(texts["github-workflow"]))
    assert set(workflow) == {"name", "on", "permissions", "concurrency", "jobs"}


@PROPERTY
@given(data=policies())
def test_hostile_policies_render_files_with_exactly_the_intended_keys(
    data: dict[str, Any], tmp_path_factory: Any
) -> None:
    files = _render(tmp_path_factory.mktemp("p"), data)
    if files is not None:
        _check_files(data, files)


def test_most_property_policies_render(tmp_path_factory: Any) -> None:
    """A property over policies that are all refused would prove nothing: most must render."""
    outcomes: list[bool] = []

    @settings(max_examples=200, deadline=None, derandomize=True, database=None)
    @given(policies())
    def sample(data: dict[str, Any]) -> None:
        outcomes.append(_render(tmp_path_factory.mktemp("s"), data) is not None)

    sample()
    assert sum(outcomes) >= len(outcomes) // 3, f"{sum(outcomes)} of {len(outcomes)} rendered"


@pytest.mark.parametrize("bad", ["a\nb", "a\rb", "a\x00b", "\n"])
def test_a_line_break_reaching_a_line_file_stops_the_render(bad: str) -> None:
    """The last line of defence behind the encoders: a raw line break never reaches a file."""
    with pytest.raises(ValueError, match="unencoded line break"):
        lines_file(["; header", f"key={bad}"])
    assert lines_file(["; header", "key=value"]) == "; header\nkey=value\n"
