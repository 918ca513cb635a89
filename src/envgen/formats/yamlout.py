"""A small, deterministic YAML writer for the CI targets.

Every string is written as a double-quoted scalar using JSON escapes (valid YAML), so no value
can turn into a key, a boolean, a number or a comment; `Block` strings are written as literal
block scalars (``|``) for readable multi-line scripts. Mappings keep insertion order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

_FLOW_WIDTH = 100  # longer lists of scalars are written one item per line


class Block(str):
    """A multi-line string to be written as a literal block scalar."""

    __slots__ = ()


#: What YAML may not hold as it is, even in a double-quoted scalar: characters outside its
#: printable set, and NEL, U+2028 and U+2029, which a YAML 1.1 reader takes for line breaks.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _quoted(text: str) -> str:
    """A double-quoted scalar: JSON's escapes (valid YAML) plus those JSON leaves raw."""
    body = json.dumps(text, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", body)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _quoted(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


#: Plain words a YAML 1.1 reader (GitLab's, ruamel's) resolves to something other than text.
_RESOLVED = frozenset(
    [
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "null",
        "~",
        ".inf",
        "-.inf",
        "+.inf",
        ".nan",
    ]
)
_PLAIN_KEY = re.compile(r"(?:[A-Za-z_]|\.[A-Za-z_-])[A-Za-z0-9_.-]*")


def _key(key: str) -> str:
    plain = _PLAIN_KEY.fullmatch(key) and key.lower() not in _RESOLVED
    return key if plain else _quoted(key)


def _printable_line(text: str, what: str) -> None:
    """Refuse text that cannot stand as it is on one line of a comment or block scalar."""
    if (
        any(c in text for c in "\n\r")
        or _ESCAPE.search(text)
        or any(ord(c) < 0x20 and c != "\t" for c in text)
    ):
        raise ValueError(f"{what} cannot carry a line break or control character")


def _block(value: Block, indent: int) -> list[str]:
    pad = " " * indent
    if not value.endswith("\n") or value.endswith("\n\n") or value.startswith("\n"):
        raise ValueError("a block scalar is kept as lines ending in exactly one line break")
    lines = value[:-1].split("\n")
    for line in lines:
        _printable_line(line, "a YAML block scalar")
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
    for line in header:
        _printable_line(line, "a YAML comment")
    lines = [f"# {line}" if line else "#" for line in header]
    return "\n".join([*lines, *_lines(document, 0)]) + "\n"
