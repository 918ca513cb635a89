"""Encoders that make a value safe for one file format, or refuse it.

A value is never pasted into a generated file: it goes through the encoder of that format,
which either returns text the format's real parser reads back as exactly the same value, or
raises ValueError with a one-sentence reason. (The reason never repeats the value.)
"""

from __future__ import annotations

_LINE_BREAKS = ("\n", "\r", "\x00", "\u2028", "\u2029", "\x0b", "\x0c", "\x85")


def _one_line(value: str, fmt: str) -> None:
    if any(c in value for c in _LINE_BREAKS):
        raise ValueError(f"a line break or NUL cannot be written into {fmt}")
    if value != value.strip():
        raise ValueError(f"{fmt} trims leading and trailing white space from values")
    if not value:
        raise ValueError(f"an empty value cannot be written into {fmt}")


def npmrc_value(value: str, *, allow_env: bool = False) -> str:
    """Encode a value for .npmrc (npm/ini ``unsafe()``, then npm's ``${NAME}`` substitution).

    An unquoted value ends at ``;`` or ``#``. npm's own parser honours a backslash escape, but
    other readers of .npmrc (pnpm, Yarn 1) do not agree on it, so both are refused rather than
    escaped. A value wrapped in quotes would be JSON-parsed and ``true``/``false``/``null``
    would become non-strings: refused too. ``${`` is refused unless `allow_env`, since npm
    would substitute it from the environment.
    """
    _one_line(value, ".npmrc")
    if ";" in value or "#" in value:
        raise ValueError(".npmrc would cut the value at ';' or '#' (a comment)")
    if "\\" in value:
        raise ValueError(".npmrc treats a backslash as an escape character")
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        raise ValueError(".npmrc would read a value wrapped in quotes as JSON")
    if value in ("true", "false", "null"):
        raise ValueError(f".npmrc reads {value!r} as a keyword, not as text")
    if not allow_env and "${" in value:
        raise ValueError(".npmrc would replace '${...}' with an environment variable")
    return value


def npmrc_key(key: str) -> str:
    """Encode a key for .npmrc: no '=' (the key ends at the first one), no leading '['."""
    if "=" in key or key.startswith("["):
        raise ValueError(".npmrc keys cannot contain '=' or start with '['")
    return npmrc_value(key)


def ini_value(value: str) -> str:
    """Encode a value for pip.conf (configparser.RawConfigParser as pip uses it).

    configparser strips white space, ends a value at a line break and treats an indented
    following line as a continuation; inline ``#``/``;`` are kept (pip's parser has no inline
    comment prefixes) and ``%`` is literal (no interpolation). So one stripped line is safe.
    """
    _one_line(value, "pip.conf")
    return value


def goenv_value(value: str) -> str:
    """Encode a value for a GOENV file (cmd/go readEnvFile): one line, taken byte for byte.

    Go neither unquotes, trims nor expands, so a value with a line break cannot be written, one
    with surrounding spaces or quotes would be misread, and ``$`` would stay literal.
    """
    _one_line(value, "go.env")
    if value[0] in "\"'" or value[-1] in "\"'":
        raise ValueError("go.env takes quotes literally, so a quoted value would be misread")
    if "$" in value:
        raise ValueError("go.env does not expand '$' (a reference would stay literal)")
    return value


def systemd_env_assignment(name: str, value: str) -> str:
    """One double-quoted ``NAME=value`` word for a systemd ``Environment=`` line.

    systemd unquotes C-style (``\\`` and ``\"``) and expands ``%`` specifiers, so those are
    escaped; ``$`` is not expanded in Environment=, so a ``${NAME}`` reference would stay literal
    and is refused. Control characters cannot be written.
    """
    _one_line(value, "a systemd unit")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise ValueError("a systemd unit cannot carry control characters")
    if "${" in value:
        raise ValueError(
            "systemd does not expand '${...}' in Environment=, so a reference would be sent "
            "literally"
        )
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    return f'"{name}={escaped}"'


def json_literal(value: str, *, fmt: str) -> str:
    """A string for a JSON file its reader never expands (daemon.json, config.json).

    JSON itself can carry any text (json.dumps escapes it); what cannot work is a ``${NAME}``
    reference, which the reader would send literally, for example as a proxy password.
    """
    if "${" in value:
        raise ValueError(
            f"{fmt} is plain JSON with no variable expansion, so a ${{NAME}} reference would be "
            "used literally; give this tool a proxy without credentials"
        )
    return value


def gitconfig_value(value: str) -> str:
    """A git config value (git-config(1) "Syntax"): written in double quotes when it needs them.

    Outside quotes git drops surrounding white space, ends the value at '#' or ';' and reads
    '\\' as an escape; inside quotes only '"' and '\\' need escaping. A line break cannot be
    written at all (a trailing '\\' would continue the line).
    """
    _one_line(value, "a git config file")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise ValueError("a git config file cannot carry control characters")
    if any(c in value for c in ' #;"\\') or value != value.strip():
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def curlrc_value(value: str) -> str:
    """A .curlrc parameter (curl(1) "-K, --config"), in double quotes where it needs them.

    Unquoted, a parameter ends at white space and may not start with '=' or ':'; inside double
    quotes '\\' escapes '\\', '"', t, n, r and v, so those two are escaped and a line break or
    control character is refused.
    """
    _one_line(value, ".curlrc")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise ValueError(".curlrc cannot carry control characters")
    if value[0] in "=:" or any(c in value for c in ' "\\#'):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value
