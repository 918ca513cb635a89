"""A small, deterministic YAML writer for the CI targets.

Every string is written as a double-quoted scalar using JSON escapes (valid YAML), so no value
can turn into a key, a boolean, a number or a comment; `Block` strings are written as literal
block scalars (``|``) for readable multi-line scripts. Mappings keep insertion order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

_FLOW_WIDTH = 100  # longer lists of scalars are written one item per line


class Block(str):
    """A multi-line string to be written as a literal block scalar."""

    __slots__ = ()


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _key(key: str) -> str:
    plain = key.replace("-", "").replace("_", "").replace(".", "").isalnum()
    return key if plain and not key[0].isdigit() else json.dumps(key, ensure_ascii=False)


def _block(value: Block, indent: int) -> list[str]:
    pad = " " * indent
    lines = value.rstrip("\n").split("\n")
    if lines and lines[0][:1] == " ":
        raise ValueError("a block scalar cannot start with a space")
    return ["|", *[(pad + line) if line else "" for line in lines]]


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            head = f"{pad}{_key(str(key))}:"
            out += _item(head, item, indent)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            out += _item(f"{pad}-", item, indent, in_list=True)
    else:
        raise TypeError("top level must be a mapping or a list")
    return out


def _item(head: str, item: Any, indent: int, *, in_list: bool = False) -> list[str]:
    if isinstance(item, Block):
        first, *rest = _block(item, indent + 2)
        return [f"{head} {first}", *rest]
    if isinstance(item, Mapping):
        if not item:
            return [f"{head} {{}}"]
        if in_list:
            nested = _lines(item, indent + 2)
            return [f"{head} {nested[0].lstrip()}", *nested[1:]]
        return [head, *_lines(item, indent + 2)]
    if isinstance(item, Sequence) and not isinstance(item, str):
        if not item:
            return [f"{head} []"]
        scalars = all(not isinstance(i, Mapping | Sequence) or isinstance(i, str) for i in item)
        if scalars and not any(isinstance(i, Block) for i in item):
            flow = f"{head} [{', '.join(_scalar(i) for i in item)}]"
            if len(flow) <= _FLOW_WIDTH:
                return [flow]
        return [head, *_lines(item, indent + 2)]
    return [f"{head} {_scalar(item)}"]


def dump(document: Mapping[str, Any], header: Sequence[str] = ()) -> str:
    """`document` as YAML text, after `header` comment lines (each without its '# ')."""
    lines = [f"# {line}" if line else "#" for line in header]
    return "\n".join([*lines, *_lines(document, 0)]) + "\n"
