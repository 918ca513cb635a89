"""Seeded mutation fuzzing of whole policies: no input may crash envgen or half-write a tree.

The hand-written corpus in tests/invalid/ covers the errors we thought of; this covers the ones we
did not. Every known-good policy (the example and the golden cases) is mutated many times, both
as data (a value replaced by a hostile one, a key dropped or added, a mapping turned into a list)
and as text (truncated, a character inserted), and every mutant is rendered. Whatever the mutant
is, envgen must answer with 0 (it is still a valid policy) or a clean error: no traceback, no
"internal error", every error line located as `file:line:col` (or naming the file), and not one
byte written when it fails. The seeds are fixed, so a failure is reproducible by its test id.
"""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from envgen.cli import EXIT_BUG
from envgen.errors import EXIT_INVALID, EXIT_OK, EXIT_REFUSED
from tests.conftest import REPO, RunEnvgen, copy_examples, snapshot

GOLDEN = REPO / "tests" / "golden"

#: Values that have broken parsers before: wrong types, edges of ranges, shell and YAML
#: metacharacters, secrets-looking text, control characters, huge and empty values.
HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    2**63,
    1e309,
    0.5,
    "",
    " ",
    "*",
    ".",
    "..",
    "../../etc/passwd",
    "/abs/path",
    "${}",
    "${NOT CLOSED",
    "${lower_case}",
    "$HOME",
    "ghp_" + "a" * 36,
    "npm_" + "A" * 36,
    "http://",
    "http://[::1",
    "http://user:pass@proxy.example:3128",
    "https://host.example:99999/",
    "ftp://host.example/",
    "socks5://proxy.example:1080",
    "10.0.0.0/33",
    "::/0",
    "[fe80::1%eth0]",
    "a\nb",
    "tab\there",
    "nul\x00byte",
    "quote\"'`",
    "#comment",
    "ünïcødé.example",
    "x" * 5000,
    [],
    {},
    [None],
    ["a", 1, None],
    {"unknown": 1},
    "30",
    "30x",
    "-5s",
    "1.1",
    "2",
    "on-error",
    "off",
]

#: Text fragments spliced into the raw YAML.
SPLICES = [
    "\t",
    ":",
    "- ",
    "{",
    "}",
    "[",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    '"',
    "'",
    "\x00",
    "\ufeff",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "? ",
    "|",
    ">",
    "<<: *a\n",
    "\n  ",
]

#: Mutants per known-good policy: 100 in the suite, more with ENVGEN_FUZZ_MUTANTS (nox -s fuzz).
MUTANTS = int(os.environ.get("ENVGEN_FUZZ_MUTANTS", "100"))
N_DATA = MUTANTS * 3 // 5
N_TEXT = MUTANTS - N_DATA


def _policies() -> list[tuple[str, Path]]:
    """(name, policy file) of every known-good policy."""
    cases = [("example", REPO / "examples" / "envgen.yaml")]
    for case in sorted(GOLDEN.iterdir()):
        policy = case / "policy" / "envgen.yaml"
        if policy.is_file():
            cases.append((case.name, policy))
    return cases


def _tree(name: str, source: Path, dest: Path) -> Path:
    """A fresh copy of one known-good policy tree (bases included)."""
    if name == "example":
        return copy_examples(dest)
    shutil.copytree(source.parent, dest)
    return dest


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a node of `node` (mapping keys and list indexes), the root excluded."""
    out: list[tuple[Any, ...]] = []
    items: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    for key, child in items:
        out.append((*prefix, key))
        out.extend(_paths(child, (*prefix, key)))
    return out


def _hostile(rng: random.Random) -> Any:
    """A fresh copy of one hostile value (a shared list or dict would carry earlier mutations)."""
    return copy.deepcopy(rng.choice(HOSTILE))


def _mutate_data(data: Any, rng: random.Random) -> Any:
    """One to three random structural mutations of a loaded policy."""
    for _ in range(rng.randint(1, 3)):
        paths = _paths(data)
        if not paths:
            return _hostile(rng)
        path = rng.choice(paths)
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        action = rng.choice(["replace", "replace", "replace", "drop", "add", "listify"])
        if action == "replace":
            parent[last] = _hostile(rng)
        elif action == "drop":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[rng.choice(["extra", "tokens", "password", "Proxy", "0"])] = _hostile(rng)
        elif action == "add" and isinstance(parent, list):
            parent.append(_hostile(rng))
        elif isinstance(parent[last], dict):
            parent[last] = list(parent[last].items())
    return data


def _mutate_text(text: str, rng: random.Random) -> str:
    """Truncate the YAML text, or splice a fragment into it, at a random place."""
    at = rng.randrange(len(text) + 1)
    if rng.random() < 0.3:
        return text[:at]
    return text[:at] + rng.choice(SPLICES) + text[at:]


def _check_clean(result: Any, before: dict[str, Any], after: dict[str, Any], what: str) -> None:
    assert "Traceback" not in result.out + result.err, what
    assert "internal error" not in result.err, f"{what}\n{result.err}"
    assert result.code != EXIT_BUG, what
    assert result.code in (EXIT_OK, EXIT_INVALID, EXIT_REFUSED), f"{what}\n{result.err}"
    if result.code != EXIT_OK:
        assert after == before, f"a failed render wrote files\n{what}"
        errors = [line for line in result.err.splitlines() if ": error:" in line]
        assert errors, f"exit {result.code} without an error line\n{what}\n{result.err}"
        for line in errors:
            location = line.split(": error:", 1)[0]
            assert location == "envgen" or ".yaml" in location, f"unlocated: {line}\n{what}"


def _cases() -> list[tuple[str, str, int]]:
    return [
        (name, kind, seed)
        for name, _ in _policies()
        for kind, n in (("data", N_DATA), ("text", N_TEXT))
        for seed in range(n)
    ]


POLICIES = dict(_policies())


@pytest.mark.parametrize(
    ("name", "kind", "seed"), _cases(), ids=[f"{n}-{k}-{s}" for n, k, s in _cases()]
)
def test_mutant_policy_fails_cleanly(
    name: str, kind: str, seed: int, tmp_path: Path, run_envgen: RunEnvgen
) -> None:
    rng = random.Random(f"{name}/{kind}/{seed}")  # noqa: S311 - reproducible, not secret
    tree = _tree(name, POLICIES[name], tmp_path / "repo")
    policy = tree / "envgen.yaml"
    text = policy.read_text("utf-8")
    if kind == "data":
        data = YAML(typ="safe").load(text)
        mutant = json.dumps(_mutate_data(data, rng), indent=2, ensure_ascii=False) + "\n"
    else:
        mutant = _mutate_text(text, rng)
    policy.write_text(mutant, encoding="utf-8")
    before = snapshot(tree)

    result = run_envgen("render", cwd=tree)

    _check_clean(result, before, snapshot(tree), f"mutant:\n{mutant[:3000]}")
    if result.code == EXIT_OK:
        # What render just wrote is what the policy renders: no drift, and the same bytes again.
        rendered = snapshot(tree)
        check = run_envgen("check", cwd=tree)
        assert check.code == EXIT_OK, f"drift right after render\n{check.out}{check.err}"
        assert run_envgen("render", cwd=tree).code == EXIT_OK
        assert snapshot(tree) == rendered, "a second render changed bytes"
    for command in (["validate"], ["explain", "--format", "json"], ["env", "--format", "gitlab"]):
        untouched = snapshot(tree)
        again = run_envgen(*command, cwd=tree)
        what = f"{command} on mutant:\n{mutant[:3000]}"
        _check_clean(again, untouched, snapshot(tree), what)
        # These commands only read: they never write, whether they succeed or fail.
        assert snapshot(tree) == untouched, f"a read-only command wrote files\n{what}"
        assert (again.code == EXIT_OK) == (result.code == EXIT_OK) or command[0] != "validate"
