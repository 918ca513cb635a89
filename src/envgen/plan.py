"""Render every target of a policy in memory: Policy -> Artifacts + Diagnostics.

Nothing here touches the disk or the environment, so `render`, `render --dry-run` and `check`
share one plan and the same policy always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from envgen import generators
from envgen.artifact import Artifact, normal_path
from envgen.diagnostics import Diagnostic, Severity, error, sort_diagnostics
from envgen.errors import PolicyError
from envgen.findings import from_finding
from envgen.generators.base import RenderContext
from envgen.loader import LoadedPolicy
from envgen.schema.policy import Policy
from envgen.secrets import excerpt


@dataclass(frozen=True)
class Plan:
    """What a run would write, and what it has to say about it."""

    policy: Policy
    artifacts: tuple[Artifact, ...]
    diagnostics: tuple[Diagnostic, ...]


def selected_targets(policy: Policy, only: list[str] | None) -> list[str]:
    """The policy's targets, restricted to `only`; a name not in the policy is an error."""
    names = sorted(policy.targets)
    if not only:
        return names
    unknown = [n for n in only if n not in policy.targets]
    if unknown:
        import difflib

        close = [m for u in unknown for m in difflib.get_close_matches(u, names, n=1)]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        asked = ", ".join(excerpt(u, quoted=False) for u in unknown)
        among = ", ".join(names) or "none"
        raise PolicyError(
            [error(f"--only {asked}: not among the policy's targets ({among}){hint}")]
        )
    return [n for n in names if n in only]


def build_plan(loaded: LoadedPolicy, policy: Policy, only: list[str] | None = None) -> Plan:
    """Render the selected targets; raise PolicyError if any value cannot be encoded."""
    artifacts: list[Artifact] = []
    diags: list[Diagnostic] = []
    policy_name = loaded.path.name
    for name in selected_targets(policy, only):
        generator = generators.load(name)
        ctx = RenderContext(target=name, policy_name=policy_name, path=policy.targets[name])
        text = generator.render(policy, ctx)
        for f in ctx.findings:
            where = loaded.positions.value(f.loc) if f.loc is not None else None
            diags.append(from_finding(f, where))
        path = normal_path(policy.targets[name])
        artifacts.append(Artifact(name, path, text.encode("utf-8"), generator.MODE))
    ordered = sort_diagnostics(diags)
    if any(d.severity is Severity.ERROR for d in ordered):
        raise PolicyError(ordered)
    return Plan(policy, tuple(artifacts), tuple(ordered))
