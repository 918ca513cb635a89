"""Which ecosystems a repository uses, from the files at its root, and the targets they need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Detected:
    """Targets (name -> path) and caches a repository's files call for, with the reason each."""

    targets: dict[str, str] = field(default_factory=dict)
    caches: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


#: (a file or a prefix of one, the targets it calls for, the cache it calls for)
_SIGNS: tuple[tuple[str, tuple[tuple[str, str], ...], str], ...] = (
    ("package.json", (("npm", ".npmrc"),), "npm"),
    ("requirements", (("pip", "pip.conf"),), "pip"),
    ("pyproject.toml", (("pip", "pip.conf"),), ""),
    ("uv.lock", (("pip", "pip.conf"),), "uv"),
    ("poetry.lock", (("pip", "pip.conf"),), "poetry"),
    ("go.mod", (("go", "go.env"),), "go"),
    ("Dockerfile", (("docker-client", "docker/config.json"),), ""),
    (".gitlab-ci.yml", (("gitlab-ci", ".gitlab/ci/envgen.yml"),), ""),
    (
        ".github/workflows/",
        (
            ("github-actions", ".github/actions/envgen/action.yml"),
            ("github-workflow", ".github/workflows/envgen-check.yml"),
        ),
        "",
    ),
)


def detect(paths: Iterable[str]) -> Detected:
    """The targets and caches for a repository whose files (relative, '/'-separated) are `paths`."""
    names = sorted(paths)
    targets: dict[str, str] = {}
    caches: list[str] = []
    reasons: list[str] = []
    for sign, wanted, cache in _SIGNS:
        found = next((n for n in names if n == sign or n.startswith(sign)), None)
        if found is None:
            continue
        new = [name for name, _ in wanted if name not in targets]
        for name, path in wanted:
            targets.setdefault(name, path)
        if cache and cache not in caches:
            caches.append(cache)
        if new:
            reasons.append(f"{found}: {', '.join(new)}")
    return Detected(targets, tuple(caches), tuple(reasons))
