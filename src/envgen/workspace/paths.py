"""Output paths: where envgen may write (POLICY.md section 2, exit 3 for the rest).

An output path must stay under the root: no absolute path, no '..', no symlink out, no name
too long for a temporary file beside it, never the policy or the manifest.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from envgen.artifact import Artifact
from envgen.diagnostics import Diagnostic, Position, display_path, error
from envgen.errors import RefusedError
from envgen.workspace.manifest import MANIFEST_NAME


def check_paths(
    root: Path, artifacts: list[Artifact], where: dict[str, Position | None], protected: set[Path]
) -> None:
    """Refuse (exit 3) any output path that could land outside the root or on a protected file."""
    problems: list[Diagnostic] = []
    real_root = root.resolve()
    for art in artifacts:
        reason = _path_problem(real_root, art.path, protected)
        if reason:
            problems.append(error(f"targets.{art.target}: {reason}", where.get(art.target)))
    if problems:
        raise RefusedError(problems)


def check_retired(root: Path, retired: list[str], protected: set[Path]) -> None:
    """Refuse (exit 3) to remove a manifest entry that is not a safe output path.

    The manifest is a committed file like any other: a broken merge or a hostile change could
    list `../somewhere` or the policy itself with its true digest, and render would delete it.
    """
    real_root = root.resolve()
    unsafe = [(p, reason) for p in retired if (reason := _path_problem(real_root, p, protected))]
    if unsafe:
        where = Position(display_path(root / MANIFEST_NAME))
        problems = [
            error(
                f"lists {path!r} as a file envgen wrote, but {reason}; envgen will not remove "
                "it (delete that entry from the manifest)",
                where,
            )
            for path, reason in unsafe
        ]
        raise RefusedError(problems)


def _path_problem(real_root: Path, path: str, protected: set[Path]) -> str | None:
    if not path or "\x00" in path or "\n" in path:
        return "the output path is empty or contains a control character"
    if "\\" in path:
        return "use '/' in output paths"
    pure = PurePosixPath(path)
    if pure.is_absolute() or (len(path) > 1 and path[1] == ":"):
        return f"output path {path!r} is absolute; write it relative to the policy's directory"
    if ".." in pure.parts:
        return f"output path {path!r} contains '..'; outputs stay inside the policy's directory"
    if any(len(part.encode()) > MAX_NAME for part in pure.parts):
        return f"output path {path!r} has a name longer than {MAX_NAME} bytes"
    try:
        return _fs_problem(real_root, pure, path, protected)
    except OSError as exc:
        return f"output path {path!r} cannot be used: {exc.strerror or exc}"


#: Longest file or directory name: NAME_MAX (255) less room for the temporary file's affixes.
MAX_NAME = 240


def _fs_problem(
    real_root: Path, pure: PurePosixPath, path: str, protected: set[Path]
) -> str | None:
    """What stands in the way on disk: symlinks, non-files, a file where a directory goes."""
    full = real_root / pure
    resolved = full.resolve()
    if resolved != real_root and real_root not in resolved.parents:
        return f"output path {path!r} leads outside the policy's directory through a symlink"
    if full.is_symlink():
        return f"output path {path!r} is a symbolic link; envgen replaces only regular files"
    if full.exists() and not full.is_file():
        return f"output path {path!r} exists and is not a regular file"
    for parent in pure.parents:
        if (
            str(parent) != "."
            and (real_root / parent).exists()
            and not (real_root / parent).is_dir()
        ):
            return f"output path {path!r} needs {str(parent)!r} to be a directory, but it is a file"
    if resolved == real_root / MANIFEST_NAME or resolved in protected:
        return f"output path {path!r} would overwrite the policy or envgen's manifest"
    return None
