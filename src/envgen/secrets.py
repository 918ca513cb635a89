"""Refuse literal secrets in a policy, without ever echoing them.

A credential field takes only an environment reference ``${NAME}`` (docs/contract.md "Secrets").
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
# ordinary words ("npm_config", "akia") do not trip it. No word boundary before a prefix: a
# token glued to other text (`cache_ghp_...`, `prefixglpat-...`) leaks just the same.
TOKEN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("GitHub token", re.compile(r"(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}")),
    ("GitHub fine-grained token", re.compile(r"github_pat_[A-Za-z0-9_]{40,}")),
    (
        "GitLab token",
        re.compile(r"gl(?:pat|dt|rt|cbt|ptt|ft|imt|agent|oas|soat)-[A-Za-z0-9_-]{20,}"),
    ),
    # Runner authentication tokens (glrt-, above) and the older registration tokens (GR1348941).
    ("GitLab runner token", re.compile(r"GR1348941[A-Za-z0-9_-]{20,}")),
    ("npm token", re.compile(r"npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])")),
    ("PyPI token", re.compile(r"pypi-[A-Za-z0-9_-]{50,}")),
    ("AWS access key id", re.compile(r"(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])")),
    ("Slack token", re.compile(r"xox[abprs]-[A-Za-z0-9-]{10,}")),
    ("Docker Hub token", re.compile(r"dckr_pat_[A-Za-z0-9_-]{20,}")),
    ("Google API key", re.compile(r"AIza[0-9A-Za-z_-]{35}")),
    ("JFrog API key", re.compile(r"AKCp[0-9A-Za-z]{50,}")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
)

#: Names of query parameters that carry a credential (authToken, password, X-Amz-Signature,
#: api_key, ...): a URL with one would write the secret into every file that carries the URL.
CREDENTIAL_NAME = re.compile(r"token|auth|passw|pwd|secret|key|credential|signature|sig", re.I)
CREDENTIAL_PARAMS = re.compile(r"[?&;][^=&;#]*(?:" + CREDENTIAL_NAME.pattern + r")[^=&;#]*=", re.I)

#: The longest piece of user text a message repeats.
EXCERPT = 60


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


def escaped(text: str, keep: str = "") -> str:
    """`text` with control, format and line-separator characters (but those in `keep`) written
    as visible escapes (\\u001b for ESC): the one rule for messages and terminal output."""
    import unicodedata

    if text.isprintable():  # no control, format or separator character at all: the usual case
        return text
    return "".join(
        c if c in keep or unicodedata.category(c) not in UNSAFE_CATEGORIES else f"\\u{ord(c):04x}"
        for c in text
    )


#: Unicode categories that may not reach a file or a terminal as they are: controls (C0, C1,
#: DEL, including CR and U+0085 NEL), format characters (bidi overrides, zero-width ones), and
#: the line and paragraph separators U+2028 and U+2029.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def credential_param(query: str) -> bool:
    """Does a URL query string have a parameter whose name says it carries a credential?"""
    names = (pair.split("=", 1)[0] for pair in re.split(r"[&;]", query) if pair)
    return any(CREDENTIAL_NAME.search(name) for name in names)


def excerpt(text: str, *, quoted: bool = True) -> str:
    """User text as a message may repeat it: short, escaped, never a token (and quoted unless
    the message reads better without, e.g. a file name).

    A message names what is wrong; it never needs more than a short excerpt of the value, and it
    must never echo a secret (docs/contract.md "Secrets").
    """
    if looks_like_token(text) or CREDENTIAL_PARAMS.search(text):
        return "(a value that looks like a secret; not shown)"
    short = text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "\u2026"
    body = escaped(short)
    return f"'{body}'" if quoted else body
