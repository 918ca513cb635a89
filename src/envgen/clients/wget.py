"""wget 1.21: src/host.c sufmatch and its lowercase-only proxy variables."""

from __future__ import annotations

from envgen.clients.base import EnvReader
from envgen.noproxy.urls import Url

#: C's isspace: what wget's sepstring skips after each comma.
_C_SPACE = " \t\n\v\f\r"


def entries(value: str) -> list[str]:
    """src/utils.c sepstring: split on commas, skipping the blanks that follow each comma
    (not those before one, nor at the start of the value)."""
    first, *rest = value.split(",")
    return [first, *(part.lstrip(_C_SPACE) for part in rest)]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def c_lower(text: str) -> str:
    """C's tolower in the C locale: A-Z only (an 'Ü' stays 'Ü')."""
    return text.translate(_ASCII_LOWER)


def match_wget(value: str, url: Url) -> str | None:
    """src/host.c sufmatch over the list as sepstring splits it.

    In a UTF-8 locale wget (IRI support) converts an internationalised host to punycode
    before it reads no_proxy, so a punycode entry matches it and a Unicode one never does;
    letter case is folded for A-Z only (seen with wget 1.21.3). In the C locale it compares
    the Unicode name as written instead: envgen models the UTF-8 locale.
    """
    what = c_lower(url.hostname)
    for entry in entries(value):
        low = c_lower(entry)
        if not low or len(what) < len(low) or not what.endswith(low):
            continue
        k = len(what) - len(low) - 1
        if k == -1 or what[k] == "." or low[0] == ".":
            return entry
    return None


MODELS = (
    EnvReader(
        "wget", {"http": ("http_proxy",), "https": ("https_proxy",)}, ("no_proxy",), match_wget
    ).model("wget", "http_proxy, https_proxy, no_proxy (lowercase only)"),
)
