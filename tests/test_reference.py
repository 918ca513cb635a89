"""docs/policy.md and docs/noproxy.md are what envgen.reference writes now (`nox -s docs`)."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from envgen import generators
from envgen.reference import EXAMPLES, noproxy_matrix, policy_reference
from envgen.schema.jsonschema import schema_text
from envgen.schema.policy import Policy
from tests.conftest import REPO


def test_policy_reference_is_in_sync() -> None:
    expected = policy_reference(schema_text(generators.default_paths(builtin_only=True)))
    assert (REPO / "docs" / "policy.md").read_text("utf-8") == expected, "run `nox -s docs`"


def test_noproxy_matrix_is_in_sync() -> None:
    assert (REPO / "docs" / "noproxy.md").read_text("utf-8") == noproxy_matrix(), (
        "run `nox -s docs`"
    )


@pytest.mark.parametrize("section", sorted(EXAMPLES))
def test_each_example_is_a_valid_policy_section(section: str) -> None:
    data = YAML(typ="safe").load(EXAMPLES[section])
    assert set(data) == {section}
    if section == "extends":
        return  # a path to another file; the loader resolves it, not the model
    Policy.model_validate({"version": 1, **data})


def test_every_section_has_an_example() -> None:
    assert set(EXAMPLES) == set(Policy.model_fields) - {"version"}
