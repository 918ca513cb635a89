"""Where each value of a merged policy was written.

A *loc* is the path of keys and list indexes from the document root to a value, the same shape
the policy model uses for error locations, so an error found after merging and validation can be
pointed back at the file, line and column where the user wrote the offending value — inside an
`extends` base when the value came from there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from envgen.diagnostics import Position

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class NodeSpan:
    """The position of a value and, for mapping entries, of its key."""

    value: Position
    key: Position | None = None


class SourceMap(Mapping[Loc, NodeSpan]):
    """An immutable loc -> position index with fall-back to the nearest enclosing node."""

    def __init__(self, spans: dict[Loc, NodeSpan]) -> None:
        self._spans = dict(spans)

    def __getitem__(self, loc: Loc) -> NodeSpan:
        return self._spans[loc]

    def __iter__(self) -> Iterator[Loc]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def value(self, loc: Loc) -> Position | None:
        """Position of the value at `loc`, or of the nearest enclosing node that has one."""
        for n in range(len(loc), -1, -1):
            span = self._spans.get(loc[:n])
            if span is not None:
                return span.value
        return None

    def key(self, loc: Loc) -> Position | None:
        """Position of the key that introduces `loc` (falls back to the value position)."""
        span = self._spans.get(loc)
        if span is not None and span.key is not None:
            return span.key
        return self.value(loc)
