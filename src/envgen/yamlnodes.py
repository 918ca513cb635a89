"""YAML text to `Node`s: every value with the file, line and column where it was written.

ruamel.yaml's round-trip loader keeps the position of every key and value; this module turns its
tree into plain `Node`s, refusing what a policy never needs (tags, non-string keys, alias
explosions), and rewrites the parser's messages into sentences that say what to do, without
ever repeating more than a short excerpt of the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from typing import Any

from envgen.diagnostics import Diagnostic, Position, error
from envgen.secrets import excerpt

MAX_NODES = 20_000
MAX_DEPTH = 64
_DUPLICATE_RE = re.compile(r'found duplicate key "(.*?)" with value')


@dataclass
class Node:
    """A YAML value with where it was written; mappings and lists hold Nodes."""

    value: Any
    pos: Position
    key_pos: Position | None = None


def read_nodes(text: str, shown: str) -> tuple[Node | None, list[Diagnostic]]:
    """The document in `text` (from the file shown as `shown`) as Nodes, or None and why not."""
    errors: list[Diagnostic] = []
    doc = _parse(text, shown, errors)
    if doc is _FAILED:
        return None, errors
    converter = _Converter(shown)
    node = converter.convert(doc, Position(shown, 1, 1), None, 0)
    if converter.errors:
        return None, converter.errors
    return node, []


@cache
def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _parse(text: str, shown: str, errors: list[Diagnostic]) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = _yaml()
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(shown, mark.line + 1, mark.column + 1) if mark else Position(shown)
        problem = str(exc.problem or exc.context or "invalid YAML")
        dup = _DUPLICATE_RE.match(problem)
        # ruamel's own duplicate-key message repeats both values: never echo values.
        message = f"duplicate key {excerpt(dup.group(1))}" if dup else _friendly(problem)
        errors.append(error(message, pos))
    except TypeError:
        # ruamel hashes a mapping or sequence used as a key (`? [a]: b`) and fails.
        at = _complex_key(yaml, text)
        pos = Position(shown, at[0] + 1, at[1] + 1) if at else Position(shown)
        errors.append(error("keys must be strings", pos))
    except (YAMLError, RecursionError, ValueError) as exc:
        errors.append(error(f"invalid YAML: {type(exc).__name__}", Position(shown)))
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
