"""Load a policy file and its `extends` chain into plain data plus a source map.

ruamel.yaml's round-trip loader keeps the line and column of every key and value; this module
turns its tree into `Node`s that carry those positions, merges the `extends` chain (mappings
merge key by key, lists and scalars replace: docs/contract.md section 1) and flattens the result
into plain Python data and a `SourceMap`. Nothing here knows the policy schema.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from envgen.diagnostics import Diagnostic, Position, display_path, error
from envgen.errors import PolicyError
from envgen.readfile import ReadRefusedError, read_regular
from envgen.secrets import UNSAFE_CATEGORIES, excerpt
from envgen.sourcemap import Loc, NodeSpan, SourceMap

POLICY_FILENAME = "envgen.yaml"
MAX_POLICY_BYTES = 1_000_000
MAX_NODES = 20_000
MAX_DEPTH = 64
MAX_EXTENDS_DEPTH = 32
MAX_EXTENDS_FILES = 64
_DUPLICATE_RE = re.compile(r'found duplicate key "(.*?)" with value')


@dataclass
class Node:
    """A YAML value with where it was written; mappings and lists hold Nodes."""

    value: Any
    pos: Position
    key_pos: Position | None = None


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
    """Find envgen.yaml in `start`, then its parents up to the git root (docs/contract.md, 1).

    Outside a git work tree only `start` itself is searched, so that a stray file in a parent
    directory (or in /) is never picked up by surprise.
    """
    start = start.resolve()
    candidates = [start, *start.parents]
    git_root = next((d for d in candidates if (d / ".git").exists()), None)
    search = candidates[: candidates.index(git_root) + 1] if git_root else [start]
    for directory in search:
        candidate = directory / POLICY_FILENAME
        if candidate.is_file():
            return candidate
    return None


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
    top = Path(_lexical(path))
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
                base_path = Path(_lexical(path.parent / entry))
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
        self.sources.append(SourceFile(path, hashlib.sha256(raw).hexdigest()))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.errors.append(
                error(f"policy is not valid UTF-8 (byte {exc.start})", Position(shown))
            )
            return None
        doc = self._parse(text, shown)
        if doc is _FAILED:
            return None
        converter = _Converter(shown)
        node = converter.convert(doc, Position(shown, 1, 1), None, 0)
        self.errors.extend(converter.errors)
        if converter.errors:
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

    def _parse(self, text: str, shown: str) -> Any:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        if self._yaml is None:
            self._yaml = YAML(typ="rt")
            self._yaml.allow_duplicate_keys = False
        try:
            return self._yaml.load(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            pos = Position(shown, mark.line + 1, mark.column + 1) if mark else Position(shown)
            problem = str(exc.problem or exc.context or "invalid YAML")
            dup = _DUPLICATE_RE.match(problem)
            # ruamel's own duplicate-key message repeats both values: never echo values.
            message = f"duplicate key {excerpt(dup.group(1))}" if dup else _friendly(problem)
            self.errors.append(error(message, pos))
        except TypeError:
            # ruamel hashes a mapping or sequence used as a key (`? [a]: b`) and fails.
            at = _complex_key(self._yaml, text)
            pos = Position(shown, at[0] + 1, at[1] + 1) if at else Position(shown)
            self.errors.append(error("keys must be strings", pos))
        except (YAMLError, RecursionError, ValueError) as exc:
            self.errors.append(error(f"invalid YAML: {type(exc).__name__}", Position(shown)))
        return _FAILED


#: What a YAML parser's message means, said so that it tells the author what to do.
_FRIENDLY = (
    (re.compile(r"found character '\\t' that cannot start any token"),
     "a tab cannot indent YAML: indent with spaces"),
    (re.compile(r"mapping values are not allowed here"),
     "a ':' where YAML expects none: check this line's indentation (keys of one mapping line "
     "up under each other), or quote a value that contains ': '"),
    (re.compile(r"expected <block end>, but found"),
     "this line does not line up with the keys above it: indent it like its siblings"),
    (re.compile(r"could not find expected ':'"),
     "a key needs ':' after it (a text value that goes on over several lines needs quotes)"),
)  # fmt: skip


def _friendly(problem: str) -> str:
    for pattern, message in _FRIENDLY:
        if pattern.search(problem):
            return f"invalid YAML: {message}"
    return f"invalid YAML: {_scrub(problem)}"


def _scrub(problem: str) -> str:
    """A YAML parser's message with every quoted piece of the policy's text excerpted."""
    return _QUOTED.sub(lambda m: excerpt(m.group(2)), problem)


_QUOTED = re.compile(r"""(['"])(.*?)\1""")


def _lexical(path: Path | str) -> str:
    """An absolute path with '..' folded but symbolic links kept (Path.resolve would follow
    them: the root is where the policy is as given)."""
    return os.path.abspath(path)  # noqa: PTH100 - lexical on purpose, see above


def _identity(path: Path) -> str:
    """One key per file, whatever path reaches it (symbolic links resolved where they can be)."""
    try:
        return os.path.realpath(path)
    except (OSError, RuntimeError, ValueError):
        return _lexical(path)


def _complex_key(yaml: Any, text: str) -> tuple[int, int] | None:
    """0-based (line, col) of the first mapping key that is itself a mapping or sequence."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    try:
        todo = [yaml.compose(text)]
    except Exception:  # only a better position is at stake
        return None
    while todo:
        node = todo.pop()
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if not isinstance(key, ScalarNode):
                    return (key.start_mark.line, key.start_mark.column)
                todo.append(value)
        elif isinstance(node, SequenceNode):
            todo.extend(node.value)
    return None


_FAILED = object()


class _Converter:
    """Turns ruamel's round-trip tree into Nodes, refusing what a policy never needs."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.count = 0
        self.errors: list[Diagnostic] = []

    def _pos(self, lc: tuple[int, int] | None, fallback: Position) -> Position:
        if lc is None:
            return fallback
        return Position(self.shown, lc[0] + 1, lc[1] + 1)

    def convert(self, value: Any, pos: Position, key_pos: Position | None, depth: int) -> Node:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            if self.count == MAX_NODES + 1 or depth == MAX_DEPTH + 1:
                self.errors.append(
                    error(
                        "policy is too large or too deeply nested (are YAML aliases expanding?)",
                        pos,
                    )
                )
            return Node(None, pos, key_pos)
        tag = getattr(getattr(value, "tag", None), "value", None)
        if tag and isinstance(value, CommentedMap | CommentedSeq):
            # Scalars with a tag are refused in _scalar; a tagged collection would otherwise
            # load as if the tag were not there, hiding what the author meant.
            self.errors.append(
                error(f"unsupported YAML value: tag {excerpt(str(tag), quoted=False)}", pos)
            )
            return Node(None, pos, key_pos)
        if isinstance(value, CommentedMap):
            return Node(self._mapping(value, depth), pos, key_pos)
        if isinstance(value, CommentedSeq):
            items = [
                self.convert(item, self._pos(_lc(value, "item", i), pos), None, depth + 1)
                for i, item in enumerate(value)
            ]
            return Node(items, pos, key_pos)
        return Node(self._scalar(value, pos), pos, key_pos)

    def _mapping(self, value: Any, depth: int) -> dict[str, Node]:
        out: dict[str, Node] = {}
        map_pos = self._pos((value.lc.line, value.lc.col), Position(self.shown))
        for key, item in value.items():
            kpos = self._pos(_lc(value, "key", key), map_pos)
            vpos = self._pos(_lc(value, "value", key), kpos)
            if not isinstance(key, str):
                self.errors.append(error("keys must be strings", kpos))
                continue
            out[str(key)] = self.convert(item, vpos, kpos, depth + 1)
        return out

    def _scalar(self, value: Any, pos: Position) -> Any:
        from ruamel.yaml.scalarbool import ScalarBoolean

        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, ScalarBoolean):
            return bool(value)
        if isinstance(value, str):
            return str(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        tag = getattr(getattr(value, "tag", None), "value", None)
        what = f"tag {excerpt(str(tag), quoted=False)}" if tag else type(value).__name__
        scalar = not isinstance(value, AbstractSet | Sequence | Mapping)
        hint = " (quote it to make it a string)" if scalar and not tag else ""
        self.errors.append(error(f"unsupported YAML value: {what}{hint}", pos))
        return None


def _lc(container: Any, kind: str, key: Any) -> tuple[int, int] | None:
    """The 0-based (line, col) ruamel recorded, or None (merge keys have none)."""
    try:
        got = getattr(container.lc, kind)(key)
    except (KeyError, IndexError, AttributeError, TypeError):
        return None
    if not got:  # a tagged collection (`!!python/object:x [..]`) records nothing
        return None
    return (int(got[0]), int(got[1]))


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
