"""wget 1.21: src/host.c sufmatch and its lowercase-only proxy variables."""

from __future__ import annotations

from envgen.clients.base import EnvReader
from envgen.noproxy.urls import Url


def match_wget(value: str, url: Url) -> str | None:
    """src/host.c sufmatch over the comma-separated list (entries are not trimmed)."""
    what = url.hostname.lower()
    for entry in value.split(","):
        low = entry.lower()
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
