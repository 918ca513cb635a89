"""Developer and CI sessions. `nox -s tests` is the command the README and .ci/run use."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole suite (unit, golden, bad input, real npm/pip) with coverage."""
    session.install("-e", ".[test]")
    session.run("pytest", "--cov=envgen", "--cov-report=term", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """Heavier, random runs of the property and mutation tests (not part of CI's 30 minutes).

    ENVGEN_PROPERTY_EXAMPLES (default here 20000), ENVGEN_FUZZ_MUTANTS (default 2400) and
    ENVGEN_ORACLE_MUTANTS (policy-model mutants checked against pydantic, default 3000 per
    known policy, seeded: more of them, the same on every run) set the sizes; the property
    tests draw new random examples on every run.
    """
    session.install("-e", ".[test]")
    session.run(
        "pytest",
        "tests/test_properties.py",
        "tests/test_fuzz.py",
        "tests/test_model_oracle.py",
        *session.posargs,
        env={
            "ENVGEN_PROPERTY_EXAMPLES": os.environ.get("ENVGEN_PROPERTY_EXAMPLES", "20000"),
            "ENVGEN_PROPERTY_RANDOM": "1",
            "ENVGEN_FUZZ_MUTANTS": os.environ.get("ENVGEN_FUZZ_MUTANTS", "2400"),
            "ENVGEN_ORACLE_MUTANTS": os.environ.get("ENVGEN_ORACLE_MUTANTS", "3000"),
        },
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, and the import contracts (lint-imports)."""
    session.install("ruff", "import-linter", "-e", ".")
    session.run("ruff", "check", "src", "tests", "benchmarks", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "benchmarks", "noxfile.py")
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src/."""
    session.install("mypy", "-e", ".")
    session.run("mypy")


@nox.session
def schema(session: nox.Session) -> None:
    """Regenerate schema/envgen.schema.json from the models."""
    session.install("-e", ".")
    with Path("schema/envgen.schema.json").open("w", encoding="utf-8", newline="\n") as out:
        session.run("envgen", "schema", stdout=out)


@nox.session
def docs(session: nox.Session) -> None:
    """Regenerate docs/policy.md and docs/noproxy.md from the models (tests check they match)."""
    session.install("-e", ".")
    session.run("python", "-m", "envgen.reference")


@nox.session
def bench(session: nox.Session) -> None:
    """Time the commands against bare interpreter start-up; prints ratios, asserts nothing.

    envgen is installed as a user installs it (a wheel, not editable), with its bytecode."""
    session.install("--force-reinstall", "--no-deps", ".")
    session.install(".")
    session.run("python", "benchmarks/bench.py")


@nox.session
def golden(session: nox.Session) -> None:
    """Rewrite the golden files under tests/golden/ (review the diff before committing)."""
    session.install("-e", ".[test]")
    session.run("pytest", "tests/test_golden.py", "--update-golden")
