"""Loading, extends merging and positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from envgen.errors import PolicyError
from envgen.loader import load_policy
from tests.conftest import write_tree


def test_extends_merges_mappings_and_replaces_lists(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "base1.yaml": "version: 1\nnetwork: {retries: 1, timeout: 5s}\nproxy:\n"
            "  http: http://a.example:1\n  no_proxy: [a.example, b.example]\n",
            "base2.yaml": "version: 1\nnetwork: {retries: 2}\n",
            "envgen.yaml": "version: 1\nextends: [base1.yaml, base2.yaml]\n"
            "proxy:\n  no_proxy: [c.example]\n",
        },
    )
    loaded = load_policy(tmp_path / "envgen.yaml")
    assert loaded.data["network"] == {"retries": 2, "timeout": "5s"}
    assert loaded.data["proxy"] == {"http": "http://a.example:1", "no_proxy": ["c.example"]}
    assert "extends" not in loaded.data
    timeout = loaded.positions.value(("network", "timeout"))
    retries = loaded.positions.value(("network", "retries"))
    assert timeout is not None and timeout.path.endswith("base1.yaml")
    assert retries is not None and retries.path.endswith("base2.yaml")
    assert [s.path.name for s in loaded.sources] == ["envgen.yaml", "base1.yaml", "base2.yaml"]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["version: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    write_tree(tmp_path, {"envgen.yaml": "\n".join(lines) + "\n"})
    with pytest.raises(PolicyError, match="too large or too deeply nested"):
        load_policy(tmp_path / "envgen.yaml")


def test_non_utf8_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "envgen.yaml").write_bytes(b"version: 1\nx: \xff\n")
    with pytest.raises(PolicyError, match="not valid UTF-8"):
        load_policy(tmp_path / "envgen.yaml")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("version: 1\nproxy:\n  ? [a, b]\n  : x\n", "envgen.yaml:3:5"),
        ("version: 1\nproxy:\n  ? {a: [b]}\n  : x\n", "envgen.yaml:3:5"),
        (
            "version: 1\nproxy:\n  http: http://a.example:1\n  ? [no_proxy]: [b]\n",
            "envgen.yaml:4:5",
        ),
    ],
)
def test_collection_as_key_is_located(tmp_path: Path, text: str, where: str) -> None:
    """ruamel cannot hash a list inside a mapping key; that must be a located error, not a crash."""
    write_tree(tmp_path, {"envgen.yaml": text})
    with pytest.raises(PolicyError) as info:
        load_policy(tmp_path / "envgen.yaml")
    rendered = [d.render() for d in info.value.diagnostics]
    assert any(r.endswith(f"{where}: error: keys must be strings") for r in rendered), rendered
