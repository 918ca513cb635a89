"""Value types of policy v1: each one validates, normalises and describes itself in JSON Schema.

Validators raise `fail(message)` with one sentence that never repeats the input, since
the input may be a secret pasted into the wrong place.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import SplitResult, urlsplit

from envgen.noproxy.rules import parse_rule
from envgen.schema.fields import After, Before, Field, JsonSchema, fail
from envgen.secrets import (
    ENV_REF,
    ENV_REF_ANYWHERE,
    credential_param,
    env_ref_name,
    excerpt,
)

_DURATION_PART = re.compile(r"(\d+)(ms|s|m|h)")
_DURATION_UNITS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}
_URL_FORBIDDEN = re.compile(r"[\s\"<>\\^`{|}\x00-\x1f\x7f]")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def parse_duration(value: Any) -> int:
    """Turn ``500ms``, ``10s``, ``2m``, ``1h``, ``1h 30m`` or a bare int (seconds) into ms."""
    if isinstance(value, bool):
        raise fail("a duration is a number of seconds or a string such as '10s' or '1h 30m'")
    if isinstance(value, int):
        if value < 0:
            raise fail("a duration cannot be negative")
        return value * 1000
    if not isinstance(value, str):
        raise fail("a duration is a number of seconds or a string such as '10s' or '1h 30m'")
    text = value.strip()
    parts = text.split()
    total = 0
    for part in parts:
        match = _DURATION_PART.fullmatch(part)
        if match is None:
            raise fail(
                f"invalid duration {excerpt(str(value))}: use 500ms, 10s, 2m, 1h or '1h 30m'"
            )
        total += int(match.group(1)) * _DURATION_UNITS[match.group(2)]
    if not parts:
        raise fail("a duration cannot be empty")
    return total


def _positive(ms: int) -> int:
    if ms <= 0:
        raise fail("this duration must be longer than zero")
    return ms


_DURATION_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 0, "description": "seconds"},
        {"type": "string", "pattern": r"^\s*\d+(ms|s|m|h)(\s+\d+(ms|s|m|h))*\s*$"},
    ]
}

Duration = Annotated[
    int,
    Before(parse_duration),
    After(_positive),
    JsonSchema(_DURATION_SCHEMA),
]
"""A positive duration, held in milliseconds."""


def _env_ref(value: str) -> str:
    if env_ref_name(value) is not None:
        return value
    if value.startswith("$") and "{" not in value:
        raise fail("write the environment reference as ${NAME}, with braces")
    if value.startswith("${"):
        raise fail("the variable name in ${NAME} must match [A-Z_][A-Z0-9_]*")
    raise fail(
        "a credential must be an environment reference such as ${NPM_TOKEN}; "
        "literal values are refused (the value is not shown)"
    )


EnvRef = Annotated[
    str,
    After(_env_ref),
    JsonSchema({"type": "string", "pattern": ENV_REF.pattern}),
]
"""``${NAME}``: a credential delivered by the environment, never written as a value."""


def _split_url(value: str, what: str, schemes: tuple[str, ...]) -> SplitResult:
    if _URL_FORBIDDEN.search(value):
        raise fail(f"{what} contains a space, quote, brace or control character")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        if "port" in str(exc).lower():
            raise fail(f"{what} has a port outside 1-65535") from None
        raise fail(f"{what} is not a valid URL") from None
    if parts.scheme not in schemes:
        raise fail(f"{what} must start with {' or '.join(s + '://' for s in schemes)}")
    if not parts.hostname:
        raise fail(f"{what} needs a host")
    if port == 0:
        raise fail(f"{what} has an invalid port")
    if parts.fragment or value.endswith("#"):
        raise fail(f"{what} cannot have a '#' fragment")
    if credential_param(parts.query):
        raise fail(
            f"{what} has a query parameter named like a credential: it would be written into "
            "the generated files; deliver the secret through a token field as ${NAME} "
            "(the value is not shown)"
        )
    return parts


def _registry_url(value: str) -> str:
    parts = _split_url(value, "a registry URL", ("https", "http"))
    if "@" in parts.netloc:
        raise fail(
            "a URL cannot carry credentials (they would land in generated files); where the "
            "section has a token field, give it as ${NAME} "
            "(the value is not shown)"
        )
    return value


RegistryUrl = Annotated[
    str,
    After(_registry_url),
    JsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
"""An http(s) URL with a host and no credentials."""


def _proxy_url(value: str) -> str:
    # Braces are allowed only inside a ${NAME} password, so check them before the generic URL
    # check sees them.
    masked = ENV_REF_ANYWHERE.sub("X", value)
    parts = _split_url(masked, "a proxy URL", ("http", "https"))
    if parts.path not in ("", "/") or parts.query:
        raise fail("a proxy URL is scheme://host:port, without a path or query")
    if "@" in value:
        userinfo = value.split("://", 1)[1].rsplit("@", 1)[0]
        user, _, password = userinfo.partition(":")
        if not password:
            raise fail("a proxy URL with a user needs the password as ${NAME}")
        if env_ref_name(password) is None:
            raise fail(
                "the password in a proxy URL must be an environment reference such as "
                "${PROXY_PASSWORD}; literal values are refused (the value is not shown)"
            )
        if "$" in user and env_ref_name(user) is None:
            raise fail("the user in a proxy URL must be a name or ${NAME}")
    return value


ProxyUrl = Annotated[
    str,
    After(_proxy_url),
    JsonSchema({"type": "string", "pattern": "^https?://"}),
]
"""An http(s) proxy URL; a password only as ``${NAME}``."""


def _no_proxy_rule(value: str) -> str:
    try:
        return str(parse_rule(value))
    except ValueError as exc:
        raise fail(str(exc)) from None


NoProxyRule = Annotated[
    str,
    After(_no_proxy_rule),
    JsonSchema({"type": "string", "minLength": 1, "pattern": r"^[^\s,]+$"}),
]
"""A canonical NO_PROXY rule, normalised on load (``*.x`` and ``.x`` become ``x``)."""


def _plain_text(value: str) -> str:
    if not value or any(c in value for c in "\r\n\x00"):
        raise fail("this value must be one non-empty line")
    if value != value.strip():
        raise fail("this value cannot start or end with white space")
    return value


Text = Annotated[str, After(_plain_text)]
"""One non-empty line of text."""


def _host_pattern(value: str) -> str:
    if not value or any(c.isspace() or c in ",\x00" for c in value):
        raise fail("a host pattern is one host, glob or host:port, without spaces or commas")
    if "://" in value:
        raise fail("a host pattern has no scheme: drop the 'https://'")
    return value


HostPattern = Annotated[
    str,
    After(_host_pattern),
    JsonSchema({"type": "string", "pattern": r"^[^\s,]+$"}),
]
"""A host, host:port or glob such as ``gitlab.corp.example/acme`` (GOPRIVATE-style)."""


def _relative_path(value: str) -> str:
    _plain_text(value)
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        raise fail("this path must be relative to the policy's directory")
    if ".." in re.split(r"[\\/]", value):
        raise fail("this path cannot contain '..': it must stay inside the policy's directory")
    return value


RelativePath = Annotated[str, After(_relative_path)]
"""A path below the policy's directory."""


def _absolute_path(value: str) -> str:
    _plain_text(value)
    if not value.startswith("/"):
        raise fail("this path must be absolute")
    return value


AbsolutePath = Annotated[str, After(_absolute_path)]
"""An absolute path on the machine where the tool runs."""


def _name(value: str) -> str:
    if not _NAME_RE.match(value):
        raise fail("a name uses letters, digits, '.', '_' and '-' only")
    return value


Name = Annotated[str, After(_name)]
"""A simple identifier (runner names, users)."""

PositiveInt = Annotated[int, Field(ge=1)]


def _coerce_str(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


NumberText = Annotated[str, Before(_coerce_str)]
"""A number kept as written (``"1.5"`` CPUs); YAML numbers are accepted too."""
