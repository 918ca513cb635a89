"""The Docker targets read by the real dockerd, checked against moby's key list, and the
systemd drop-in checked by systemd-analyze and a strict Environment= parser.

dockerd comes from Debian's docker.io package of trixie (Engine 26, which has --validate and
`proxies`); .ci/run fetches it with .ci/fetch-dockerd into .cache/tools/dockerd.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from envgen.formats.encoders import systemd_env_assignment
from tests.conftest import REPO, RunEnvgen, copy_examples, need_tool, write_tree

KEYS = json.loads(
    (Path(__file__).parent.parent / "reference" / "docker-daemon-keys.json").read_text("utf-8")
)
# docker/cli cli/config/configfile: ProxyConfig's JSON names (config.json proxies.<name>).
CLIENT_PROXY_KEYS = {"httpProxy", "httpsProxy", "noProxy", "ftpProxy", "allProxy"}

POLICY = """\
version: 1
proxy:
  http: http://proxy.corp.example:3128
  https: https://secure-proxy.corp.example:3129
  no_proxy: [.corp.example, 10.0.0.0/8, "registry.local:5000", "[2001:db8::1]:8443", "fd00::/8"]
registries:
  docker:
    mirrors: [https://mirror.gcr.io, "http://mirror.corp.example:5000/"]
    insecure: [registry.local:5000, 10.20.0.0/16]
docker: {max_concurrent_downloads: 3, max_concurrent_uploads: 5, max_download_attempts: 10}
targets:
  docker: etc/daemon.json
  docker-client: client/config.json
  docker-systemd: etc/http-proxy.conf
  gitlab-runner-systemd: runner/http-proxy.conf
"""

GO_NO_PROXY = (
    "corp.example,10.0.0.0/8,registry.local:5000,[2001:db8::1]:8443,fd00::/8,"
    "localhost,127.0.0.1,::1"
)


def dockerd_validate(path: Path) -> None:
    dockerd = need_tool("dockerd")
    env = {"PATH": f"{Path(dockerd).parent}:/usr/bin:/bin"}  # docker-proxy sits beside it
    done = subprocess.run(
        [dockerd, "--validate", "--config-file", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0 and "configuration OK" in done.stdout + done.stderr, (
        done.stdout + done.stderr
    )


def check_daemon_keys(doc: dict[str, Any]) -> None:
    """Every key known to moby, not refused or ignored, and of the right JSON type."""
    types = {
        "integer": int,
        "array of strings": list,
        "string": str,
        "object": dict,
        "boolean": bool,
    }
    for key, value in doc.items():
        assert key in KEYS["keys"], key
        for bad in ("rejected_keys", "ignored_keys", "removed_keys"):
            assert key not in KEYS[bad], (key, bad)
        spec = KEYS["keys"][key]
        assert isinstance(value, types[spec["type"]]), (key, spec["type"])
        if spec["type"] == "array of strings":
            assert all(isinstance(v, str) for v in value)
        if spec["type"] == "object":
            for child, child_value in value.items():
                assert child in spec["children"], (key, child)
                assert isinstance(child_value, types[spec["children"][child]["type"]])


@pytest.fixture
def rendered(tmp_path: Path, run_envgen: RunEnvgen) -> Path:
    root = write_tree(tmp_path / "repo", {"envgen.yaml": POLICY})
    result = run_envgen("render", cwd=root)
    assert result.code == 0, result.err
    return root


def test_daemon_json_is_valid_and_carries_the_policy(rendered: Path) -> None:
    path = rendered / "etc" / "daemon.json"
    dockerd_validate(path)
    doc = json.loads(path.read_text("utf-8"))
    check_daemon_keys(doc)
    assert doc == {
        "proxies": {
            "http-proxy": "http://proxy.corp.example:3128",
            "https-proxy": "https://secure-proxy.corp.example:3129",
            "no-proxy": GO_NO_PROXY,
        },
        "registry-mirrors": ["https://mirror.gcr.io", "http://mirror.corp.example:5000/"],
        "insecure-registries": ["registry.local:5000", "10.20.0.0/16"],
        "max-concurrent-downloads": 3,
        "max-concurrent-uploads": 5,
        "max-download-attempts": 10,
    }
    text = path.read_text("utf-8")
    assert text.endswith("}\n") and '\n  "insecure-registries": [' in text
    assert list(doc) == sorted(doc)


def test_example_and_minimal_daemon_json_are_valid(tmp_path: Path, run_envgen: RunEnvgen) -> None:
    copy_examples(tmp_path / "ex")
    assert run_envgen("render", cwd=tmp_path / "ex").code == 0
    dockerd_validate(tmp_path / "ex" / "docker" / "daemon.json")
    check_daemon_keys(json.loads((tmp_path / "ex" / "docker" / "daemon.json").read_text("utf-8")))
    bare = write_tree(
        tmp_path / "bare", {"envgen.yaml": "version: 1\ntargets:\n  docker: d.json\n"}
    )
    assert run_envgen("render", cwd=bare).code == 0
    assert (bare / "d.json").read_text("utf-8") == "{}\n"
    dockerd_validate(bare / "d.json")


def test_dockerd_refuses_what_envgen_must_never_write(tmp_path: Path) -> None:
    """The check above can fail: dockerd rejects an unknown key inside proxies."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"proxies": {"no_proxy": "x"}}\n', encoding="utf-8")
    with pytest.raises(AssertionError):
        dockerd_validate(bad)


def test_client_config_carries_the_policy(rendered: Path) -> None:
    doc = json.loads((rendered / "client" / "config.json").read_text("utf-8"))
    assert set(doc) == {"proxies"} and set(doc["proxies"]) == {"default"}
    default = doc["proxies"]["default"]
    assert set(default) <= CLIENT_PROXY_KEYS
    assert all(isinstance(v, str) for v in default.values())
    assert default["httpProxy"] == "http://proxy.corp.example:3128"
    assert default["httpsProxy"] == "https://secure-proxy.corp.example:3129"
    entries = default["noProxy"].split(",")
    # The portable form: both forms of a domain, both forms of an IPv6 address.
    for token in ("corp.example", ".corp.example", "10.0.0.0/8", "::1", "[::1]", "localhost"):
        assert token in entries


# --- systemd drop-in ---------------------------------------------------------------------------


def parse_environment_line(value: str) -> dict[str, str]:
    """systemd's Environment= parsing (extract_first_word with EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE,
    after %-specifier expansion), strict: anything unexpected raises."""
    value = value.replace("%%", "\0pct\0")
    assert "%" not in value, "unescaped % specifier"
    value = value.replace("\0pct\0", "%")
    out: dict[str, str] = {}
    i = 0
    while i < len(value):
        if value[i] == " ":
            i += 1
            continue
        assert value[i] == '"', "envgen writes every assignment double-quoted"
        i += 1
        word = []
        while True:
            assert i < len(value), "unterminated quote"
            c = value[i]
            if c == "\\":
                nxt = value[i + 1]
                assert nxt in '\\"', f"unexpected escape \\{nxt}"
                word.append(nxt)
                i += 2
            elif c == '"':
                i += 1
                break
            else:
                word.append(c)
                i += 1
        assert i == len(value) or value[i] == " ", "text after a closing quote"
        name, sep, val = "".join(word).partition("=")
        assert sep and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name)
        out[name] = val
    return out


def read_drop_in(text: str) -> dict[str, str]:
    section = None
    env: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
            continue
        key, _, value = line.partition("=")
        assert section == "[Service]" and key == "Environment", line
        env.update(parse_environment_line(value))
    return env


def systemd_verify(drop_in_text: str, tmp_path: Path) -> None:
    """systemd-analyze verify on a unit holding the drop-in's lines: no complaint about them."""
    analyze = need_tool("systemd-analyze")
    unit = tmp_path / "envgen-drop-in-test.service"
    body = "\n".join(line for line in drop_in_text.splitlines() if not line.startswith("[Service]"))
    unit.write_text(
        f"[Unit]\nDescription=envgen test\n[Service]\nExecStart=/bin/true\n{body}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, check=False
    )
    complaints = [line for line in done.stderr.splitlines() if unit.name in line]
    assert not complaints, complaints


@pytest.mark.parametrize(
    ("path", "unit"),
    [("etc/http-proxy.conf", "docker"), ("runner/http-proxy.conf", "gitlab-runner")],
    ids=["docker-systemd", "gitlab-runner-systemd"],
)
def test_systemd_drop_in(rendered: Path, tmp_path: Path, path: str, unit: str) -> None:
    text = (rendered / path).read_text("utf-8")
    assert f"/etc/systemd/system/{unit}.service.d/http-proxy.conf" in text
    systemd_verify(text, tmp_path)
    assert read_drop_in(text) == {
        "HTTP_PROXY": "http://proxy.corp.example:3128",
        "HTTPS_PROXY": "https://secure-proxy.corp.example:3129",
        "NO_PROXY": GO_NO_PROXY,
    }


@pytest.mark.parametrize(
    "value",
    ['a"b', "back\\slash", "100% sure %n", "$HOME $(id) `id`", "semi;colon # hash", "é ü 漢字"],
)
def test_systemd_quoting_survives_hostile_values(value: str, tmp_path: Path) -> None:
    assignment = systemd_env_assignment("X", value)
    text = f"[Service]\nEnvironment={assignment}\n"
    systemd_verify(text, tmp_path)
    assert read_drop_in(text) == {"X": value}


@pytest.mark.parametrize("value", ["line\nbreak", "tab\there", "${SECRET}"])
def test_systemd_refuses_what_it_cannot_carry(value: str) -> None:
    with pytest.raises(ValueError):
        systemd_env_assignment("X", value)


def test_systemd_checks_can_fail(tmp_path: Path) -> None:
    """Both checks have teeth: a broken quote is caught by systemd-analyze and the parser."""
    broken = '[Service]\nEnvironment="X=unterminated\n'
    with pytest.raises(AssertionError):
        read_drop_in(broken)
    with pytest.raises(AssertionError):
        systemd_verify(broken, tmp_path)


GOLDEN = Path(__file__).parent.parent / "golden"


@pytest.mark.parametrize(
    "path", sorted(GOLDEN.glob("*/expected/**/daemon.json")), ids=lambda p: p.parts[-4]
)
def test_every_golden_daemon_json_is_valid(path: Path) -> None:
    dockerd_validate(path)
    check_daemon_keys(json.loads(path.read_text("utf-8")))


@pytest.mark.parametrize(
    "path", sorted(GOLDEN.glob("*/expected/**/http-proxy.conf")), ids=lambda p: p.parts[-4]
)
def test_every_golden_drop_in_parses(path: Path, tmp_path: Path) -> None:
    text = path.read_text("utf-8")
    systemd_verify(text, tmp_path)
    names = set(read_drop_in(text))
    # GODEBUG=http2client=0 (HTTP/1.1) only where the golden policy asks for it.
    assert names - {"GODEBUG"} == {"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"}
    assert ("GODEBUG" in names) == ('http_version: "1.1"' in _golden_policy(path))


def _golden_policy(drop_in: Path) -> str:
    case = drop_in.parents[len(drop_in.relative_to(GOLDEN).parts) - 2]
    policy = case / "policy" / "envgen.yaml"
    return (policy if policy.exists() else REPO / "examples" / "envgen.yaml").read_text("utf-8")
