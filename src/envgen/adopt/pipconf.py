"""pip.conf into policy values, read with configparser as pip reads it. [global] index-url,
extra-index-url, timeout, retries, cert and proxy map to the policy; the rest is listed. A
URL with a password is refused: pip.conf cannot reference the environment."""

from __future__ import annotations

import configparser

from envgen.adopt.adoption import Adoption, Place, duration, line_of, secret
from envgen.tools.pip import EXTRA_INDEX_KEY


def _url_ok(adoption: Adoption, place: Place, key: str, url: str) -> bool:
    userinfo = url.split("://", 1)[-1].split("/", 1)[0]
    if "@" not in userinfo:
        return True
    password = userinfo.rsplit("@", 1)[0].partition(":")[2]
    secret(adoption, place, f"{key} (its password)", password or "?")
    return False


def _global(key: str, value: str, place: Place, adoption: Adoption) -> None:
    if key == "index-url" and _url_ok(adoption, place, key, value):
        adoption.put(("registries", "pypi", "index"), value, place)
    elif key == EXTRA_INDEX_KEY:
        extra = [{"url": u} for u in value.split() if _url_ok(adoption, place, key, u)]
        if extra:
            adoption.put(("registries", "pypi", "extra"), extra, place)
    elif key == "timeout":
        try:
            adoption.put(("network", "timeout"), duration(round(float(value) * 1000)), place)
        except ValueError:
            adoption.lose(place, f"timeout={value[:40]!r} is not a number")
    elif key == "retries" and value.strip().isdigit():
        adoption.put(("network", "retries"), int(value), place)
    elif key == "cert":
        adoption.put(("network", "ca_file"), value.strip(), place)
    elif key == "trusted-host":
        adoption.lose(place, "trusted-host: envgen writes it for each plain-http index itself")
    elif key == "proxy":
        adoption.put(("proxy", "http"), value.strip(), place)
        adoption.lose(
            place,
            "proxy=: envgen gives pip the proxy through the environment instead (with proxy= "
            "pip >= 24.1 ignores NO_PROXY)",
        )
    elif key != "index-url":
        adoption.lose(place, f"pip setting {key!r} has no policy field")


def read_pip_conf(text: str, path: str, adoption: Adoption) -> None:
    """Adopt pip.conf; only [global] maps to the policy."""
    adoption.files.append(path)
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        adoption.lose(Place(path), f"pip cannot read this file either: {str(exc).splitlines()[0]}")
        return
    for section in parser.sections():
        for key, value in parser.items(section):
            place = Place(path, line_of(text, key))
            if section == "global":
                _global(key, value, place, adoption)
            else:
                adoption.lose(place, f"[{section}] {key}: only [global] settings are carried")
