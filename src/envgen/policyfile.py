"""Which policy a command means: `-p PATH` (a file, or a directory holding envgen.yaml), else
envgen.yaml here or in a parent up to the git root (docs/contract.md, section 1).

Standard library only (os.path, no pathlib): the `check` fast path in envgen.entry finds the
policy with this before anything heavier is imported, and envgen.commands uses the same code.
"""

from __future__ import annotations

import os

POLICY_FILENAME = "envgen.yaml"


def find_policy(start: str) -> str | None:
    """envgen.yaml in `start`, then in its parents up to the git root.

    Outside a git work tree only `start` itself is searched, so that a stray file in a parent
    directory (or in /) is never picked up by surprise.
    """
    start = os.path.realpath(start)
    candidates = [start]
    while (parent := os.path.dirname(candidates[-1])) != candidates[-1]:
        candidates.append(parent)
    git_root = next((d for d in candidates if os.path.exists(os.path.join(d, ".git"))), None)
    search = candidates[: candidates.index(git_root) + 1] if git_root else [start]
    for directory in search:
        candidate = os.path.join(directory, POLICY_FILENAME)
        if os.path.isfile(candidate):
            return candidate
    return None


def given_policy(policy: str) -> str:
    """The file `-p policy` names: `-p DIR` means the policy of that directory (and an empty
    value the current one, as pathlib reads it)."""
    policy = policy or "."
    return os.path.join(policy, POLICY_FILENAME) if os.path.isdir(policy) else policy
