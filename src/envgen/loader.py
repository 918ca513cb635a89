"""Load a policy file and its `extends` chain into plain data plus a source map.

Every file is read as `Node`s that carry the position of each value (`envgen.yamlnodes`); this
module merges the `extends` chain (mappings merge key by key, lists and scalars replace:
docs/contract.md section 1) and flattens the result into plain Python data and a `SourceMap`.
Nothing here knows the policy schema.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from envgen import policyfile
from envgen.diagnostics import Diagnostic, Position, display_path, error
from envgen.digests import hexdigest
from envgen.errors import PolicyError
from envgen.readfile import ReadRefusedError, read_regular
from envgen.secrets import UNSAFE_CATEGORIES, excerpt
from envgen.sourcemap import Loc, NodeSpan, SourceMap
from envgen.yamlnodes import Node, read_nodes

POLICY_FILENAME = policyfile.POLICY_FILENAME
MAX_POLICY_BYTES = 1_000_000
MAX_EXTENDS_DEPTH = 32
MAX_EXTENDS_FILES = 64


@dataclass(frozen=True)
class SourceFile:
    """One file of the extends chain and the digest of its bytes."""

    path: Path
    sha256: str


@dataclass(frozen=True)
class LoadedPolicy:
    """The merged policy as plain data, with positions and the files it came from."""

    path: Path
    data: dict[str, Any]
    positions: SourceMap
    sources: tuple[SourceFile, ...]

    @property
    def root(self) -> Path:
        """The directory that holds the top policy file; outputs are written below it."""
        return self.path.parent


def find_policy(start: Path) -> Path | None:
    """envgen.yaml in `start` or a parent up to the git root (envgen.policyfile.find_policy)."""
    found = policyfile.find_policy(str(start))
    return Path(found) if found is not None else None


def load_policy(path: Path) -> LoadedPolicy:
    """Load `path` and its extends chain; raise PolicyError with every problem found.

    The root is the directory of the policy as given: a symbolic link named envgen.yaml puts the
    outputs beside the link, never beside its target (which may be outside the repository).
    """
    if any(unicodedata.category(c) in UNSAFE_CATEGORIES for c in str(path)):
        raise PolicyError(
            [
                error(
                    "the policy's path contains a control character or line break, which would "
                    "reach the generated files' headers; rename the file"
                )
            ]
        )
    loader = _ChainLoader()
    top = Path(lexical_path(path))
    node = loader.load(top, stack=(), via=None)
    if loader.errors:
        raise PolicyError(loader.errors)
    if node is None:  # pragma: no cover - a failed top file always records an error
        raise PolicyError([error("policy could not be loaded", Position(str(path)))])
    spans: dict[Loc, NodeSpan] = {}
    data = _flatten(node, (), spans)
    if not isinstance(data, dict):  # pragma: no cover - _read_file guarantees a mapping
        raise PolicyError([error("policy must be a mapping", node.pos)])
    return LoadedPolicy(
        path=top,
        data=data,
        positions=SourceMap(spans),
        sources=tuple(loader.sources),
    )


class _ChainLoader:
    """Reads files of one extends chain, collecting errors instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[Diagnostic] = []
        self.sources: list[SourceFile] = []
        self._yaml: Any = None
        # Each file is read and merged once, however many times the graph names it: a chain of
        # files that each extend the next twice would otherwise be expanded exponentially.
        self._done: dict[str, Node | None] = {}

    def load(self, path: Path, stack: tuple[str, ...], via: Position | None) -> Node | None:
        key = _identity(path)
        if key in stack:
            chain = " -> ".join(excerpt(display_path(Path(p)), quoted=False) for p in (*stack, key))
            self.errors.append(error(f"extends cycle: {chain}", via))
            return None
        if key in self._done:
            return self._done[key]
        if len(stack) > MAX_EXTENDS_DEPTH or len(self._done) >= MAX_EXTENDS_FILES:
            self.errors.append(
                error(
                    f"extends chains may be at most {MAX_EXTENDS_DEPTH} deep and name at most "
                    f"{MAX_EXTENDS_FILES} files; flatten the chain",
                    via,
                )
            )
            return None
        node = self._read_file(path, via)
        merged: Node | None = None
        if node is not None:
            own: dict[str, Node] = node.value
            extends = own.pop("extends", None)
            for entry, entry_pos in self._extends_entries(extends):
                base_path = Path(lexical_path(path.parent / entry))
                base = self.load(base_path, (*stack, key), entry_pos)
                if base is not None:
                    merged = base if merged is None else _merge(merged, base)
        result = node if merged is None or node is None else _merge(merged, node)
        self._done[key] = result
        return result

    def _extends_entries(self, extends: Node | None) -> list[tuple[str, Position]]:
        if extends is None:
            return []
        if not isinstance(extends.value, list):
            self.errors.append(error("'extends' must be a list of policy file paths", extends.pos))
            return []
        entries: list[tuple[str, Position]] = []
        for item in extends.value:
            if not isinstance(item.value, str) or not item.value.strip():
                self.errors.append(error("each 'extends' entry must be a file path", item.pos))
            elif Path(item.value).is_absolute():
                self.errors.append(
                    error("'extends' paths must be relative to the policy file", item.pos)
                )
            else:
                entries.append((item.value, item.pos))
        return entries

    def _read_file(self, path: Path, via: Position | None) -> Node | None:
        shown = display_path(path)
        where = "extends base" if via else "policy file"
        try:
            raw = read_regular(path, MAX_POLICY_BYTES)
        except FileNotFoundError:
            hint = "" if via else " (a directory? pass -p DIR/envgen.yaml)"
            self.errors.append(
                error(
                    f"{where} not found: {excerpt(shown, quoted=False)}{hint}",
                    via or Position(shown),
                )
            )
            return None
        except ReadRefusedError as exc:
            self.errors.append(
                error(f"{where} {excerpt(shown)} {exc.reason}", via or Position(shown))
            )
            return None
        self.sources.append(SourceFile(path, hexdigest(raw)))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.errors.append(
                error(f"policy is not valid UTF-8 (byte {exc.start})", Position(shown))
            )
            return None
        node, problems = read_nodes(text, shown)
        self.errors.extend(problems)
        if problems:
            return None
        if node is None or node.value is None:
            self.errors.append(
                error("policy is empty: it needs at least 'version: 1'", Position(shown, 1, 1))
            )
            return None
        if not isinstance(node.value, dict):
            self.errors.append(error("policy must be a mapping of keys to values", node.pos))
            return None
        return node


def lexical_path(path: Path | str) -> str:
    """An absolute path with '..' folded but symbolic links kept (Path.resolve would follow
    them: the root is where the policy is as given)."""
    return os.path.abspath(path)  # noqa: PTH100 - lexical on purpose, see above


def _identity(path: Path) -> str:
    """One key per file, whatever path reaches it (symbolic links resolved where they can be)."""
    try:
        return os.path.realpath(path)
    except (OSError, RuntimeError, ValueError):
        return lexical_path(path)


def _merge(base: Node, over: Node) -> Node:
    """Merge `over` onto `base`: mappings key by key, everything else replaced by `over`."""
    if isinstance(base.value, dict) and isinstance(over.value, dict):
        merged = dict(base.value)
        for key, value in over.value.items():
            merged[key] = _merge(merged[key], value) if key in merged else value
        return Node(merged, over.pos, over.key_pos)
    return over


def _flatten(node: Node, loc: Loc, spans: dict[Loc, NodeSpan]) -> Any:
    spans[loc] = NodeSpan(node.pos, node.key_pos)
    if isinstance(node.value, dict):
        return {k: _flatten(v, (*loc, k), spans) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [_flatten(v, (*loc, i), spans) for i, v in enumerate(node.value)]
    return node.value
