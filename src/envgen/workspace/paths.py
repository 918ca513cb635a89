"""Output paths: where envgen may write (docs/contract.md section 2, exit 3 for the rest).

An output path must stay under the root: no absolute path, no '..', no symlink out, no name
too long for a temporary file beside it, never the policy or the manifest.
"""

from __future__ import annotations

import errno
import unicodedata
from pathlib import Path, PurePosixPath

from envgen.artifact import Artifact
from envgen.diagnostics import Diagnostic, Position, display_path, error
from envgen.errors import RefusedError
from envgen.secrets import UNSAFE_CATEGORIES, excerpt
from envgen.workspace.names import MANIFEST_NAME


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
    list `../somewhere`, `.git/HEAD` or the policy itself, and render would delete it.
    """
    real_root = root.resolve()
    unsafe = [(p, reason) for p in retired if (reason := _path_problem(real_root, p, protected))]
    if unsafe:
        where = Position(display_path(root / MANIFEST_NAME))
        problems = [
            error(
                f"lists {excerpt(path)} as a file envgen wrote, but {reason}; envgen will not "
                "remove it (delete that entry from the manifest)",
                where,
            )
            for path, reason in unsafe
        ]
        raise RefusedError(problems)


def _path_problem(real_root: Path, path: str, protected: set[Path]) -> str | None:
    shown = excerpt(path)
    if not path or any(unicodedata.category(c) in UNSAFE_CATEGORIES for c in path):
        return "the output path is empty or contains a control character or line break"
    if "\\" in path:
        return "use '/' in output paths"
    pure = PurePosixPath(path)
    if pure.is_absolute() or (len(path) > 1 and path[1] == ":"):
        return f"output path {shown} is absolute; write it relative to the policy's directory"
    if ".." in pure.parts:
        return f"output path {shown} contains '..'; outputs stay inside the policy's directory"
    if path.startswith("~") or "$" in path:
        return (
            f"output path {shown} would be taken literally: envgen expands neither '~' nor "
            "'$VARIABLES'; write a path relative to the policy's directory"
        )
    if any(part.casefold() == ".git" for part in pure.parts):
        return f"output path {shown} is inside .git/, which envgen never writes"
    if any(len(part.encode()) > MAX_NAME for part in pure.parts):
        return f"output path {shown} has a name longer than {MAX_NAME} bytes"
    try:
        return _fs_problem(real_root, pure, shown, protected)
    except (OSError, RuntimeError) as exc:
        if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
            return f"output path {shown} goes through a symbolic link loop"
        return f"output path {shown} cannot be used: {exc.strerror or exc}"


#: Longest file or directory name: NAME_MAX (255) less room for the temporary file's affixes.
MAX_NAME = 240


def _fs_problem(
    real_root: Path, pure: PurePosixPath, path: str, protected: set[Path]
) -> str | None:
    """What stands in the way on disk: symlinks, non-files, a file where a directory goes."""
    full = real_root / pure
    resolved = full.resolve()
    if resolved != real_root and real_root not in resolved.parents:
        return f"output path {path} leads outside the policy's directory through a symlink"
    if full.is_symlink():
        return f"output path {path} is a symbolic link; envgen replaces only regular files"
    if full.exists() and not full.is_file():
        return f"output path {path} exists and is not a regular file"
    for parent in pure.parents:
        if (
            str(parent) != "."
            and (real_root / parent).exists()
            and not (real_root / parent).is_dir()
        ):
            parent_shown = excerpt(str(parent))
            return f"output path {path} needs {parent_shown} to be a directory, but it is a file"
    if resolved == real_root / MANIFEST_NAME or resolved in {p.resolve() for p in protected}:
        return f"output path {path} would overwrite the policy or envgen's manifest"
    return None
