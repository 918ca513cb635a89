"""A tool fact is written once: each appears as a string constant in exactly one module of src/.

The rule of docs/architecture.md (one tool, one module): a config key or variable name that
envgen gives a tool lives in that tool's module under envgen/tools/, and every other module takes
it from there. Docstrings and the models' field descriptions are prose and do not count; every
other string constant does, f-string parts included.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "envgen"

#: Facts and the one module that may state them. (Names that the policy schema's own messages
#: must use, such as GOPROXY, or that a client model reads, such as http.nonProxyHosts, are
#: not listed: they are facts of two modules on purpose.)
FACTS = {
    # npm (.npmrc keys and their npm_config_* twins)
    "fetch-retries": "tools/npm.py",
    "fetch-retry-factor": "tools/npm.py",
    "fetch-timeout": "tools/npm.py",
    "_authToken": "tools/npm.py",
    "package-lock.json": "tools/npm.py",
    # pip
    "extra-index-url": "tools/pip.py",
    "PIP_EXTRA_INDEX_URL": "tools/pip.py",
    "PIP_TIMEOUT": "tools/pip.py",
    "PIP_CACHE_DIR": "tools/pip.py",
    # go
    "GONOSUMDB": "tools/go.py",
    "-modcacherw": "tools/go.py",
    "http2client=0": "tools/go.py",
    "GOMODCACHE": "tools/go.py",
    # git
    "http.version": "tools/git.py",
    "GIT_CONFIG_COUNT": "tools/git.py",
    "lowSpeedTime": "tools/git.py",
    "sslCAInfo": "tools/git.py",
    # curl
    "http1.1": "tools/curl.py",
    "retry-all-errors": "tools/curl.py",
    "speed-time": "tools/curl.py",
    # the CA variables of the environment readers
    "SSL_CERT_FILE": "tools/tls.py",
    "REQUESTS_CA_BUNDLE": "tools/tls.py",
    # node
    "NODE_EXTRA_CA_CERTS": "tools/node.py",
    # docker
    "max-download-attempts": "tools/docker.py",
    "registry-mirrors": "tools/docker.py",
    "insecure-registries": "tools/docker.py",
}


def _prose(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings or Field(description=...) values."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Field":
            for keyword in node.keywords:
                if keyword.arg == "description":
                    out.update(id(n) for n in ast.walk(keyword.value))
    return out


def _constants(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text("utf-8"))
    prose = _prose(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            yield node.value


def _where(fact: str) -> list[str]:
    return sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if any(fact in text for text in _constants(path))
    )


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_fact_is_stated_in_one_module(fact: str) -> None:
    assert _where(fact) == [FACTS[fact]], (
        f"{fact!r} must be stated only in {FACTS[fact]}; import it from there"
    )


def test_the_scan_sees_through_fstrings_and_skips_prose(tmp_path: Path) -> None:
    """The scanner itself: an f-string part counts, a docstring and a description do not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""fetch-retries in a docstring."""\n'
        "x = Field(1, description='fetch-retries in a description')\n"
        "y = f'npm {key} fetch-retries={value}'\n",
        encoding="utf-8",
    )
    found = [c for c in _constants(sample) if "fetch-retries" in c]
    assert found == [" fetch-retries="]
