"""A project .npmrc into policy values, read as npm's `ini` reads it (`key=value` lines, `;`
and `#` comments, quoted values). Registries, scope registries and `_authToken` references,
proxies, noproxy, retry settings and cafile map to the policy; the rest is listed."""

from __future__ import annotations

from collections.abc import Callable

from envgen.adopt.adoption import Adoption, Loc, Place, duration, no_proxy, secret
from envgen.secrets import ENV_REF
from envgen.tools.npm import AUTH_TOKEN, RETRY_KEYS, nerf_dart

_SIMPLE: dict[str, tuple[Loc, Callable[[str], object]]] = {
    "registry": (("registries", "npm", "url"), str),
    "proxy": (("proxy", "http"), str),
    "https-proxy": (("proxy", "https"), str),
    "cafile": (("network", "ca_file"), str),
    RETRY_KEYS["retries"]: (("network", "retries"), int),
    RETRY_KEYS["min"]: (("network", "backoff", "min"), lambda v: duration(int(v))),
    RETRY_KEYS["max"]: (("network", "backoff", "max"), lambda v: duration(int(v))),
    RETRY_KEYS["factor"]: (("network", "backoff", "factor"), float),
}

_CREDENTIAL_KEYS = ("_auth", AUTH_TOKEN, "_password", "username")
_TOKEN_SUFFIX = f":{AUTH_TOKEN}"


def _value(raw: str) -> str:
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _line(key: str, value: str, place: Place, adoption: Adoption) -> tuple[str, str] | None:
    """Adopt one key; a token reference is returned for matching with its registry later."""
    if key in _SIMPLE:
        loc, convert = _SIMPLE[key]
        try:
            adoption.put(loc, convert(value), place)
        except ValueError:
            adoption.lose(place, f"{key}={value[:40]!r} is not a number")
    elif key.startswith("@") and key.endswith(":registry"):
        scope = key[: -len(":registry")]
        adoption.put(("registries", "npm", "scopes", scope, "url"), value, place)
    elif key.startswith("//") and key.endswith(_TOKEN_SUFFIX):
        ref = secret(adoption, place, key, value)
        return (key[: -len(_TOKEN_SUFFIX)], ref) if ref is not None else None
    elif key.startswith("//") or key in _CREDENTIAL_KEYS:
        if ENV_REF.fullmatch(value):
            adoption.lose(place, f"{key}: envgen carries npm credentials as {AUTH_TOKEN} only")
        else:
            secret(adoption, place, key, value)
    elif key == "noproxy":
        no_proxy(adoption, place, value)
    else:
        adoption.lose(place, f"npm setting {key!r} has no policy field; keep it in ~/.npmrc")
    return None


def read_npmrc(text: str, path: str, adoption: Adoption) -> None:
    """Adopt a project .npmrc."""
    adoption.files.append(path)
    tokens: list[tuple[str, str, Place]] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        place = Place(path, lineno)
        if not line or line[0] in ";#":
            continue
        key, sep, rest = line.partition("=")
        if not sep or line.startswith("["):
            adoption.lose(place, "not a key=value line envgen can carry")
            continue
        token = _line(key.strip(), _value(rest), place, adoption)
        if token is not None:
            tokens.append((*token, place))
    _assign_tokens(tokens, adoption)


def _assign_tokens(tokens: list[tuple[str, str, Place]], adoption: Adoption) -> None:
    npm = adoption.data.get("registries", {}).get("npm", {})
    owners: dict[str, Loc] = {}
    if "url" in npm:
        owners[nerf_dart(npm["url"])] = ("registries", "npm", "token")
    for scope, entry in npm.get("scopes", {}).items():
        owners[nerf_dart(entry["url"])] = ("registries", "npm", "scopes", scope, "token")
    for dart, ref, place in tokens:
        loc = owners.get(dart if dart.endswith("/") else dart + "/")
        if loc is None:
            adoption.lose(place, f"a token for {dart}, a registry the file does not name")
        else:
            adoption.put(loc, ref, place)
