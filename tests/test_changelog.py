"""Rendered output changes only with a CHANGELOG entry: it shows as drift after an upgrade.

The fingerprint under the current version's heading is a digest of every golden file
(tests/golden/*/expected). A change of what envgen renders changes a golden file, so the
fingerprint no longer matches until the change is named in CHANGELOG.md.
"""

from __future__ import annotations

import hashlib
import re

from envgen import __version__
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden"


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(GOLDEN.glob("*/expected/**/*")):
        if path.is_file():
            rel = path.relative_to(GOLDEN).as_posix().encode()
            digest.update(rel + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def current_section() -> str:
    text = (REPO / "CHANGELOG.md").read_text("utf-8")
    match = re.search(rf"^## {re.escape(__version__)}\b.*?(?=^## |\Z)", text, re.M | re.S)
    assert match, f"CHANGELOG.md has no '## {__version__}' section"
    return match.group(0)


def test_the_current_version_has_a_changelog_section() -> None:
    assert "### Rendered output" in current_section()


def test_rendered_output_changes_are_named_in_the_changelog() -> None:
    found = re.search(r"fingerprint: `([0-9a-f]{64})`", current_section())
    assert found, "the current version's section has no rendered-output fingerprint"
    assert found.group(1) == fingerprint(), (
        "rendered output changed: name the change under "
        f"'## {__version__}' in CHANGELOG.md and set the fingerprint to {fingerprint()}"
    )


def test_license_and_project_urls_ship() -> None:
    assert (REPO / "LICENSE").read_text("utf-8").startswith("MIT License")
    pyproject = (REPO / "pyproject.toml").read_text("utf-8")
    assert 'name = "envgen-policy"' in pyproject
    assert "[project.urls]" in pyproject
