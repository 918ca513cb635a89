"""Refuse literal secrets in a policy, without ever echoing them.

A credential field takes only an environment reference ``${NAME}`` (POLICY.md "Secrets").
Independently of the field it sits in, a value shaped like a well-known token is refused too,
because a token pasted into a comment-like field (a URL, a name) leaks just the same once the
policy or a rendered file is committed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from envgen.sourcemap import Loc

ENV_REF = re.compile(r"^\$\{([A-Z_][A-Z0-9_]*)\}$")
ENV_REF_ANYWHERE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")

# Prefixes published by the issuers; each pattern needs enough characters after the prefix that
# ordinary words ("npm_config", "akia") do not trip it.
TOKEN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("GitHub token", re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}")),
    ("GitHub fine-grained token", re.compile(r"\bgithub_pat_[A-Za-z0-9_]{40,}")),
    (
        "GitLab token",
        re.compile(r"\bgl(?:pat|dt|rt|cbt|ptt|ft|imt|agent|oas|soat)-[A-Za-z0-9_-]{20,}"),
    ),
    ("GitLab runner token", re.compile(r"\bglrt-[A-Za-z0-9_-]{20,}")),
    ("npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("PyPI token", re.compile(r"\bpypi-[A-Za-z0-9_-]{50,}")),
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
)


def looks_like_token(text: str) -> str | None:
    """Name the kind of token `text` contains, or None."""
    for kind, pattern in TOKEN_PATTERNS:
        if pattern.search(text):
            return kind
    return None


def find_token_values(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str, bool]]:
    """Yield (loc, kind, is_key) for every key or string value in `data` shaped like a token."""
    if isinstance(data, dict):
        for key, value in data.items():
            kind = looks_like_token(key)
            if kind:
                yield (*loc, key), kind, True
            yield from find_token_values(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from find_token_values(value, (*loc, i))
    elif isinstance(data, str):
        kind = looks_like_token(data)
        if kind:
            yield loc, kind, False


def env_ref_name(value: str) -> str | None:
    """The NAME of a ``${NAME}`` reference, or None when `value` is anything else."""
    match = ENV_REF.match(value)
    return match.group(1) if match else None
