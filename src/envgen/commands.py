"""The verbs of the CLI, one function each: keyword arguments in, exit code out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from envgen.console import Console
from envgen.diagnostics import Severity, display_path, error
from envgen.errors import EXIT_DRIFT, EXIT_OK, PolicyError
from envgen.loader import (
    LoadedPolicy,
    find_policy,
    lexical_path,
    load_policy,
)
from envgen.policyfile import given_policy
from envgen.workspace.manifest import Manifest
from envgen.workspace.names import MANIFEST_NAME

if TYPE_CHECKING:
    from envgen.artifact import Artifact
    from envgen.diagnostics import Diagnostic, Position
    from envgen.plan import Plan
    from envgen.schema.policy import Policy
    from envgen.workspace import write


def _policy_path(policy: str | None) -> Path:
    if policy is not None:
        return Path(given_policy(policy))
    found = find_policy(Path.cwd())
    if found is None:
        raise PolicyError(
            [
                error(
                    "no envgen.yaml here or in a parent directory up to the git root; "
                    "pass -p PATH or create one"
                )
            ]
        )
    return found


def _load(policy: str | None) -> tuple[LoadedPolicy, Policy, list[Diagnostic]]:
    from envgen import generators
    from envgen.validate import validate

    loaded = load_policy(_policy_path(policy))
    model, warnings = validate(loaded, generators.targets_for(loaded.data.get("targets")))
    return loaded, model, warnings


def _target_positions(loaded: LoadedPolicy, model: Policy) -> dict[str, Position | None]:
    return {name: loaded.positions.value(("targets", name)) for name in model.targets}


def _check_paths(loaded: LoadedPolicy, artifacts: list[Artifact], model: Policy) -> None:
    from envgen.workspace import paths

    protected = {s.path for s in loaded.sources}
    paths.check_paths(loaded.root, artifacts, _target_positions(loaded, model), protected)


def cmd_validate(*, con: Console, policy: str | None, all_tools: bool = False) -> int:
    """Load, merge and validate, rendering in memory so that every value a file format cannot
    carry is reported too; print warnings and their count. Writes nothing."""
    from envgen import warnlist

    loaded, plan = _plan(policy, None, all_tools=all_tools)
    con.diagnostics(plan.diagnostics)
    _check_paths(loaded, list(plan.artifacts), plan.policy)
    con.line(
        f"{display_path(loaded.path)}: valid policy "
        f"({len(loaded.sources)} file(s), {len(plan.artifacts)} target(s)); "
        f"{warnlist.count_line(plan.diagnostics)}"
    )
    return EXIT_OK


def _plan(
    policy: str | None, only: list[str] | None, *, all_tools: bool = False, audit: bool = True
) -> tuple[LoadedPolicy, Plan]:
    """Load and render in memory; the diagnostics merged per subject and marked where the
    policy accepts them (`envgen.warnlist`). Without `audit`, the NO_PROXY audit (which only
    ever warns) is skipped: for a caller that prints errors alone."""
    from envgen import warnlist
    from envgen.diagnostics import sort_diagnostics
    from envgen.plan import build_plan

    loaded, model, warnings = _load(policy)
    plan = build_plan(loaded, model, only)
    extra = _no_proxy_warnings(loaded, model, all_tools=all_tools) if audit else []
    merged = warnlist.merge([*warnings, *sort_diagnostics([*plan.diagnostics, *extra])])
    settled = warnlist.accept(merged, model.accept, loaded.positions.value)
    return loaded, type(plan)(plan.policy, plan.artifacts, tuple(settled))


def _no_proxy_warnings(
    loaded: LoadedPolicy, model: Policy, *, all_tools: bool = False
) -> list[Diagnostic]:
    """docs/contract.md 3 and 4.6: every loss explain finds, for the tools the targets feed."""
    from envgen.diagnostics import warning
    from envgen.explain.warnings import http_warnings, rule_warnings

    out = [
        warning(m, loaded.positions.value(("network", "http_version")), code="EG203")
        for m in http_warnings(model, all_tools=all_tools)
    ]
    for found in rule_warnings(model, all_tools=all_tools):
        loc = (
            ("proxy", "no_proxy", found.index) if found.index is not None else ("proxy", "no_proxy")
        )
        position = loaded.positions.value(loc)
        out.append(
            warning(
                found.message, position, code=found.code, subject=found.subject, tools=found.tools
            )
        )
    return out


def _retired(manifest: Manifest | None, plan: Plan, only: list[str] | None) -> list[str]:
    """Manifest files that the (selected) targets no longer produce."""
    if manifest is None:
        return []
    produced = {a.path for a in plan.artifacts}
    return sorted(
        path
        for path, entry in manifest.files.items()
        if path not in produced and (not only or entry["target"] in only)
    )


def _manifest_after(
    loaded: LoadedPolicy, plan: Plan, old: Manifest | None, only: list[str] | None
) -> Manifest:
    from envgen.workspace.manifest import sha256, source_hashes

    files: dict[str, dict[str, str]] = {}
    if old is not None and only:
        files = {
            p: e
            for p, e in old.files.items()
            if e["target"] not in only and e["target"] in plan.policy.targets
        }
    for art in plan.artifacts:
        files[art.path] = {"target": art.target, "sha256": sha256(art.content)}
    return Manifest(
        policy=loaded.path.name,
        policy_digest=plan.policy.digest(),
        sources=source_hashes(loaded.root, [(s.path, s.sha256) for s in loaded.sources]),
        files=files,
    )


def _read_manifest(con: Console, root: Path) -> Manifest | None:
    """The committed manifest; a broken one is named (and replaced by render), never trusted."""
    from envgen.diagnostics import Position, warning
    from envgen.errors import RefusedError
    from envgen.workspace.manifest import read_manifest

    manifest, broken = read_manifest(root)
    if broken is None:
        return manifest
    where = Position(display_path(root / MANIFEST_NAME))
    if (root / MANIFEST_NAME).exists() and not (root / MANIFEST_NAME).is_file():
        raise RefusedError([error(f"envgen's manifest {broken}; remove it", where)])
    con.diagnostic(
        warning(
            f"{broken}; envgen writes a new one and tells its files from yours by their "
            "marker and its own record only",
            where,
            code="EG401",
        )
    )
    return None


def _remember(
    loaded: LoadedPolicy,
    plan: Plan,
    manifest: Manifest | None,
    only: list[str] | None,
    written: dict[str, str],
) -> None:
    """Record what envgen rendered (workspace.state): after a partial render only the digests
    of the files it wrote, so that the record never claims the other files are current."""
    from envgen.workspace import state
    from envgen.workspace.manifest import sha256, source_hashes

    files = {a.path: sha256(a.content) for a in plan.artifacts}
    sources = source_hashes(loaded.root, [(s.path, s.sha256) for s in loaded.sources])
    digest = (
        sha256(manifest.dumps()) if manifest is not None else state.manifest_digest(loaded.root)
    )
    if only:
        files, sources = {**written, **files}, {}
    state.record(loaded.root, loaded.path.name, sources, files, digest)


_DRY_VERBS = {
    "created": "would create",
    "updated": "would update",
    "removed": "would remove",
    "unchanged": "unchanged",
}


def cmd_render(
    *,
    con: Console,
    policy: str | None,
    only: list[str] | None = None,
    dry_run: bool = False,
    force: bool = False,
    all_tools: bool = False,
    diff: bool = False,
) -> int:
    """Render every target in memory, check every path, then, holding the root's render lock,
    change the tree all or nothing and remember what was written (`workspace.state`)."""
    from envgen.workspace import paths, state, temps, write

    loaded, plan = _plan(policy, only, all_tools=all_tools)
    con.diagnostics(plan.diagnostics)
    root = loaded.root
    where = _target_positions(loaded, plan.policy)
    _check_paths(loaded, list(plan.artifacts), plan.policy)
    with state.locked(root):
        old = _read_manifest(con, root)
        retired = _retired(old, plan, only)
        paths.check_retired(root, retired, {s.path for s in loaded.sources})
        written = state.written_files(root)
        changes, kept = write.plan_changes(
            root,
            list(plan.artifacts),
            old,
            where,
            force=force,
            retired=retired,
            recorded=written.get,
        )
        con.diagnostics(kept)
        # Beside every file this render, the manifest or envgen's record knows of: a render
        # killed after its new manifest landed has left links of files it removed.
        known = [*(a.path for a in plan.artifacts), MANIFEST_NAME, *retired, *written]
        stale = temps.stale_temps(root, known)
        if not dry_run:
            for tmp in stale:
                tmp.unlink(missing_ok=True)
            manifest = _manifest_after(loaded, plan, old, only)
            write.apply(root, changes, manifest)
            _remember(loaded, plan, manifest, only, written)
    if stale:
        verb = "would remove" if dry_run else "removed"
        con.line(f"{verb} {len(stale)} temporary file(s) left by an interrupted render")
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.action] = counts.get(change.action, 0) + 1
        verb = _DRY_VERBS[change.action] if dry_run else change.action
        shown = display_path(root / change.path)
        con.file(shown, verb.replace(" ", "-"), f"{verb:>12} {shown}")
        if diff and dry_run and change.action in ("created", "updated", "removed"):
            con.diff(_change_diff(root, change))
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
    con.line(f"{'dry run: ' if dry_run else ''}{len(changes)} file(s): {summary or 'nothing'}")
    if not plan.policy.targets:
        con.line(
            "the policy has no `targets:` yet: add one per file to write, e.g. `npm: .npmrc` "
            "(`envgen targets` lists them)"
        )
    return EXIT_OK


def _change_diff(root: Path, change: write.Change) -> str:
    """The unified diff a change would make (`render --dry-run --diff`)."""
    from envgen.readfile import ReadRefusedError, read_regular
    from envgen.workspace.drift import MAX_OUTPUT_BYTES, unified_diff

    try:
        old = (
            b""
            if change.action == "created"
            else read_regular(root / change.path, MAX_OUTPUT_BYTES)
        )
    except (OSError, ReadRefusedError):
        old = b""  # render refuses such a path before it writes; the diff shows the new bytes
    new = change.artifact.content if change.artifact is not None else b""
    return unified_diff(change.path, old, new)


def cmd_check(
    *, con: Console, policy: str | None, only: list[str] | None = None, warnings: bool = False
) -> int:
    """Exit 0 when every generated file is what the policy renders now, else 1 with diffs.

    Drift is decided by rendering and comparing bytes. Only envgen's own record (never the
    committed manifest, never under CI) may answer first, when it shows that neither the
    policy chain, the manifest nor any output changed since envgen last compared them.
    """
    from envgen.workspace import drift, record

    path = Path(lexical_path(_policy_path(policy)))
    if not only and not warnings and con.report is None:
        count = record.is_current(str(path.parent), path.name)
        if count is not None:
            con.line(f"{count} file(s) up to date")
            return EXIT_OK
    # Warnings are validate's and render's business; check prints them only when asked, and
    # does not run the NO_PROXY audit (warnings only) unless they are.
    loaded, plan = _plan(str(path), only, audit=warnings)
    con.diagnostics([d for d in plan.diagnostics if warnings or d.severity is Severity.ERROR])
    _check_paths(loaded, list(plan.artifacts), plan.policy)
    manifest = Manifest.read(loaded.root)
    paths_retired = _retired(manifest, plan, only)
    drifts = drift.find_drift(loaded.root, list(plan.artifacts), paths_retired)
    if not drifts:
        if not only and not record.under_ci():  # under CI nothing would ever read it
            _remember(loaded, plan, None, only, {})
        con.line(f"{len(plan.artifacts)} file(s) up to date")
        return EXIT_OK
    for found in drifts:
        con.drifted(display_path(loaded.root / found.path), found.reason, found.diff or "")
    fix = "envgen render" + (f" --only {' '.join(only)}" if only else "")
    if policy is not None:
        fix += f" -p {policy}"
    con.fatal(f"{len(drifts)} file(s) out of date; run `{fix}`")
    return EXIT_DRIFT


def cmd_explain(**options: object) -> int:
    """`envgen explain` (envgen.inspection)."""
    from envgen.inspection import cmd_explain as run

    return run(**options)  # type: ignore[arg-type]


def cmd_env(**options: object) -> int:
    """`envgen env` (envgen.inspection)."""
    from envgen.inspection import cmd_env as run

    return run(**options)  # type: ignore[arg-type]


def cmd_doctor(**options: object) -> int:
    """`envgen doctor` (envgen.inspection, envgen.doctor)."""
    from envgen.inspection import cmd_doctor as run

    return run(**options)  # type: ignore[arg-type]


def cmd_init(**options: object) -> int:
    """`envgen init` (envgen.adopt.command)."""
    from envgen.adopt.command import cmd_init as run

    return run(**options)  # type: ignore[arg-type]


def cmd_new(**options: object) -> int:
    """`envgen new` (envgen.scaffold.command)."""
    from envgen.scaffold.command import cmd_new as run

    return run(**options)  # type: ignore[arg-type]


def cmd_schema(*, con: Console, policy: str | None = None) -> int:
    """Print the policy's JSON Schema (the file under schema/ is this output)."""
    from envgen import generators
    from envgen.schema.jsonschema import schema_text

    del policy  # accepted for a uniform CLI; the schema does not depend on a policy
    con.always(schema_text(generators.default_paths(builtin_only=True)))
    return EXIT_OK


def cmd_targets(*, con: Console, policy: str | None = None) -> int:
    """List the available targets with their default paths."""
    from envgen import generators

    del policy
    rows = []
    for name in generators.registry():
        gen = generators.load(name)
        rows.append((name, gen.DEFAULT_PATH, gen.SUMMARY))
    width = max(len(r[0]) for r in rows)
    pwidth = max(len(r[1]) for r in rows)
    for name, path, summary in rows:
        con.always(f"{name:<{width}}  {path:<{pwidth}}  {summary}")
    return EXIT_OK
