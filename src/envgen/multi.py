"""`--all`: one command over every envgen.yaml below the current directory, in one process.

Policies are found through git (`git ls-files --cached --others --exclude-standard`, so
.gitignore is honoured) in a git work tree, else by walking the tree without hidden directories
and node_modules. Each run writes into a console of its own; only the runs that fail are shown,
under their policy's path, then one summary. The exit code is the worst one: invalid (2) or
refused (3) wins over drift (1). On a TTY, stderr shows a progress line; elsewhere nothing.
Standard library only, as the check fast path is.
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from envgen.console import Console
from envgen.diagnostics import display_path
from envgen.errors import EXIT_DRIFT, EXIT_OK, EnvgenError

POLICY_NAME = "envgen.yaml"
_SKIP_DIRS = {"node_modules", "__pycache__"}


def find_policies(start: Path) -> list[Path]:
    """Every envgen.yaml below `start`, sorted; .gitignore honoured inside a git work tree."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--",
             f"*{POLICY_NAME}", POLICY_NAME],
            cwd=start, capture_output=True, check=False, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        done = None
    if done is not None and done.returncode == 0:
        names = {n for n in done.stdout.decode("utf-8", "replace").split("\0") if n}
        found = [start / n for n in names if n.rsplit("/", 1)[-1] == POLICY_NAME]
        return sorted(p for p in found if p.is_file())
    out: list[Path] = []
    for directory, dirs, files in os.walk(start):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        if POLICY_NAME in files:
            out.append(Path(directory) / POLICY_NAME)
    return sorted(out)


@dataclass(frozen=True)
class Outcome:
    """What one policy's run returned and printed."""

    policy: Path
    code: int
    out: str
    err: str


_WORDS = {EXIT_OK: "ok", EXIT_DRIFT: "drifted", 2: "invalid", 3: "refused"}


def run_all(
    con: Console,
    command: str,
    verb: Callable[..., int],
    options: dict[str, object],
    start: Path | None = None,
) -> int:
    """Run `verb` for every policy below `start` (the current directory); print the failures
    and a summary; return the worst exit code."""
    root = start or Path.cwd()
    policies = find_policies(root)
    if not policies:
        con.fatal(f"--all: no {POLICY_NAME} below {display_path(root) or '.'}")
        return 2
    progress = con.err.isatty() if hasattr(con.err, "isatty") else False
    outcomes: list[Outcome] = []
    for i, policy in enumerate(policies, 1):
        if progress:
            con.err.write(f"\r{command} {i}/{len(policies)} {display_path(policy)[:60]:<60}")
            con.err.flush()
        out, err = io.StringIO(), io.StringIO()
        sub = Console(out, err, color="never", quiet=con.quiet, all_warnings=con.all_warnings)
        try:
            code = int(verb(con=sub, policy=str(policy), **options))
        except EnvgenError as exc:
            sub.diagnostics(exc.diagnostics)
            code = exc.exit_code
        outcomes.append(Outcome(policy, code, out.getvalue(), err.getvalue()))
    if progress:
        con.err.write("\r" + " " * 80 + "\r")
    for found in outcomes:
        if found.code != EXIT_OK:
            con.emit(f"== {display_path(found.policy)}: {_WORDS.get(found.code, 'failed')}")
            for text in (found.out, found.err):
                if text:
                    con.emit(text.rstrip("\n"))
    counts: dict[str, list[str]] = {}
    for found in outcomes:
        counts.setdefault(_WORDS.get(found.code, "failed"), []).append(display_path(found.policy))
    parts = [f"{len(counts.pop('ok', []))} ok"]
    parts += [f"{len(paths)} {word} ({', '.join(paths[:5])}{', ...' if len(paths) > 5 else ''})"
              for word, paths in sorted(counts.items())]  # fmt: skip
    noun = "policy" if len(outcomes) == 1 else "policies"
    con.emit(f"{command} --all: {len(outcomes)} {noun}: {'; '.join(parts)}")
    return max(found.code for found in outcomes)
