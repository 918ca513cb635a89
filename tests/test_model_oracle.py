"""envgen.schema.model against pydantic: the same declarations, two engines, the same answers.

envgen validated policies with pydantic v2 (strict, extra="forbid") until its import cost more
than a whole command may take; envgen.schema.model replaced it. This test keeps the two honest:
it rebuilds every policy section as a pydantic model *from envgen's own declarations* (same
types, validators, defaults and bounds) and checks, for every known policy and many mutants of
each, that both engines accept and refuse the same data with the same errors (type, location,
message), dump the same data (the policy digest is made from that dump) and write the same JSON
Schema. The one intended difference is tested on its own: pydantic's strict mode still lets
`version: true` and `version: 1.0` through a `Literal[1]`; envgen refuses them.
"""

from __future__ import annotations

import copy
import os
import random
import typing
import zlib
from typing import Annotated, Any

import pydantic
import pytest
from pydantic_core import PydanticCustomError
from ruamel.yaml import YAML

from envgen.errors import PolicyError
from envgen.loader import load_policy
from envgen.reference import EXAMPLES
from envgen.schema.fields import (
    After,
    Before,
    FieldInfo,
    JsonSchema,
    PolicyValueError,
    split_annotated,
    union_members,
)
from envgen.schema.jsonschema import policy_schema
from envgen.schema.model import Section, ValidationError, resolved_fields
from envgen.schema.policy import Policy
from tests.conftest import REPO
from tests.test_fuzz import HOSTILE, _paths

#: Mutants per known policy: 60 in the suite, more with ENVGEN_ORACLE_MUTANTS (nox -s fuzz).
MUTANTS = int(os.environ.get("ENVGEN_ORACLE_MUTANTS", "60"))

_MODELS: dict[type[Section], type[pydantic.BaseModel]] = {}
_CONFIG = pydantic.ConfigDict(extra="forbid", frozen=True, strict=True)


def _validator(func: Any) -> Any:
    """envgen's validator, refusing as envgen's pydantic models did (PydanticCustomError)."""

    def call(value: Any) -> Any:
        try:
            return func(value)
        except PolicyValueError as exc:
            raise PydanticCustomError("envgen", str(exc.args[0])) from None

    return call


def _bounds(info: FieldInfo) -> dict[str, Any]:
    names = ("ge", "le", "min_length")
    return {n: getattr(info, n) for n in names if getattr(info, n) is not None}


def _convert(annotation: Any) -> Any:
    bare, metadata = split_annotated(annotation)
    members = union_members(bare)
    if members is not None:
        out: Any = typing.Union[tuple(_convert(m) for m in members)]  # noqa: UP007
    elif isinstance(bare, type) and issubclass(bare, Section):
        out = as_pydantic(bare)
    elif typing.get_origin(bare) is list:
        out = list[_convert(typing.get_args(bare)[0])]  # type: ignore[misc]
    elif typing.get_origin(bare) is dict:
        key, value = typing.get_args(bare)
        out = dict[_convert(key), _convert(value)]  # type: ignore[misc]
    else:
        out = bare
    converted: list[Any] = []
    for meta in metadata:
        if isinstance(meta, Before):
            converted.append(pydantic.BeforeValidator(_validator(meta.func)))
        elif isinstance(meta, After):
            converted.append(pydantic.AfterValidator(_validator(meta.func)))
        elif isinstance(meta, JsonSchema):
            converted.append(pydantic.WithJsonSchema(meta.schema))
        elif isinstance(meta, FieldInfo):
            converted.append(pydantic.Field(**_bounds(meta)))
        else:
            raise AssertionError(f"unknown metadata {meta!r}")
    return Annotated[(out, *converted)] if converted else out


def as_pydantic(cls: type[Section]) -> type[pydantic.BaseModel]:
    """The pydantic model envgen would have declared for `cls`."""
    if cls not in _MODELS:
        fields: dict[str, Any] = {}
        for name, info in resolved_fields(cls).items():
            kwargs: dict[str, Any] = {"description": info.description, **_bounds(info)}
            factory = info.default_factory
            if isinstance(factory, type) and issubclass(factory, Section):
                kwargs["default_factory"] = as_pydantic(factory)
            elif factory is not None:
                kwargs["default_factory"] = factory
            elif not info.is_required():
                kwargs["default"] = info.default
            fields[name] = (_convert(info.annotation), pydantic.Field(**kwargs))
        _MODELS[cls] = pydantic.create_model(  # type: ignore[call-overload]
            cls.__name__, __config__=_CONFIG, __doc__=cls.__doc__, **fields
        )
    return _MODELS[cls]


def _errors(errors: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    # repr orders locations that mix keys of several types (a mutant may use 1 or True)
    return sorted(((e["type"], e["loc"], e["msg"]) for e in errors), key=repr)


def _answer(data: Any) -> tuple[str, Any]:
    """What envgen's model says of `data`: ("ok", dumps) or ("error", errors)."""
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        return "error", _errors(exc.errors())
    return "ok", (policy.model_dump(), policy.model_dump(exclude_defaults=True))


def _oracle(data: Any) -> tuple[str, Any]:
    """What pydantic says of the same declarations."""
    model = as_pydantic(Policy)
    try:
        policy = model.model_validate(data)
    except pydantic.ValidationError as exc:
        return "error", _errors(exc.errors(include_input=False))
    dumps = (policy.model_dump(mode="json"), policy.model_dump(mode="json", exclude_defaults=True))
    return "ok", dumps


def _known_policies() -> list[tuple[str, Any]]:
    """(name, merged data) of the example, every golden case and every invalid case that
    loads (the invalid corpus is mostly model errors)."""
    files = [REPO / "examples" / "envgen.yaml"]
    files += sorted((REPO / "tests" / "golden").glob("*/policy/envgen.yaml"))
    files += sorted((REPO / "tests" / "invalid").glob("*/envgen.yaml"))
    out = []
    for path in files:
        try:
            loaded = load_policy(path)
        except PolicyError:
            continue  # a YAML-level error never reaches a model
        out.append((str(path.relative_to(REPO)), loaded.data))
    # docs/policy.md's example of each section, and the sections no file above uses.
    for section, text in sorted(EXAMPLES.items()):
        out.append((f"docs example: {section}", {"version": 1, **YAML(typ="safe").load(text)}))
    for kind, settings in (("gcs", {"bucket": "b"}), ("azure", {"container": "c"})):
        cache = {"type": kind, kind: settings}
        runner = {"name": "r", "url": "https://gitlab.example/", "cache": cache}
        out.append((f"runner cache: {kind}", {"version": 1, "runner": runner}))
    return out


KNOWN = _known_policies()


def test_the_corpus_is_large_enough_to_mean_something() -> None:
    answers = [_answer(data)[0] for _, data in KNOWN]
    assert answers.count("ok") >= 5
    assert answers.count("error") >= 40


@pytest.mark.parametrize("data", [d for _, d in KNOWN], ids=[n for n, _ in KNOWN])
def test_known_policies_get_the_same_answer(data: Any) -> None:
    if _version_quirk(data.get("version")):  # tests/invalid/version-*: the intended difference
        assert (_answer(data)[0], _oracle(data)[0]) == ("error", "ok")
    else:
        assert _answer(data) == _oracle(data)


def _mutants(data: Any, count: int, seed: int) -> list[Any]:
    rng = random.Random(seed)  # noqa: S311 - reproducible mutants, not secrets
    paths = _paths(data)
    extra_values: list[Any] = [1.1, 2.5, -0.0, 10**3, "1h 30m", "@acme", "go1.22.3", "docker"]
    extra_values += [float("nan"), float("inf"), float("-inf")]
    extra_values += [{1: "x"}, {True: "x"}, {"@Bad": {"url": "https://npm.example/"}}, ["x", 1]]
    out = []
    for _ in range(count):
        mutant = copy.deepcopy(data)
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(paths)
            node = mutant
            try:
                for part in path[:-1]:
                    node = node[part]
                if rng.random() < 0.15 and isinstance(node, dict):
                    node.pop(path[-1], None)
                else:
                    node[path[-1]] = copy.deepcopy(rng.choice(HOSTILE + extra_values))
            except (KeyError, IndexError, TypeError):
                continue
        out.append(mutant)
    return out


def _version_quirk(version: Any) -> bool:
    """Where pydantic's Literal[1] answers differently: True and 1.0 pass, and an integer too
    large for 64 bits is "Unable to parse" instead of "should be 1"."""
    return (version == 1 and type(version) is not int) or (
        type(version) is int and abs(version) >= 2**63
    )


@pytest.mark.parametrize(("name", "data"), KNOWN, ids=[n for n, _ in KNOWN])
def test_mutants_get_the_same_answer(name: str, data: Any) -> None:
    for i, mutant in enumerate(_mutants(data, MUTANTS, seed=zlib.crc32(name.encode()))):
        if isinstance(mutant, dict) and _version_quirk(mutant.get("version")):
            continue  # the intended difference, tested below
        assert _answer(mutant) == _oracle(mutant), f"mutant {i}"


@pytest.mark.parametrize("version", [True, 1.0, 2**63])
def test_version_one_must_be_the_integer_one(version: Any) -> None:
    data = {"version": version}
    assert _version_quirk(version)
    assert _oracle(data) != _answer(data)
    assert _answer(data) == (
        "error",
        [("literal_error", ("version",), "Input should be 1")],
    )


def test_the_json_schema_is_pydantics() -> None:
    ours = policy_schema({})
    del ours["$schema"], ours["$id"], ours["properties"]["targets"]["properties"]
    assert ours == as_pydantic(Policy).model_json_schema(by_alias=True, mode="validation")


def test_a_section_is_frozen_and_compares_by_value() -> None:
    policy = Policy.model_validate({"version": 1, "network": {"retries": 2}})
    with pytest.raises(AttributeError):
        policy.version = 2  # type: ignore[misc]
    assert policy == Policy.model_validate({"version": 1, "network": {"retries": 2}})
    assert policy != Policy.model_validate({"version": 1, "network": {"retries": 3}})
    assert policy.network.backoff.factor == 2
    assert isinstance(Policy.model_validate({"version": 1, "network": {"backoff": {"factor": 3}}})
                      .network.backoff.factor, float)  # fmt: skip
