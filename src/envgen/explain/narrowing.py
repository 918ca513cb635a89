"""Narrow a NO_PROXY-style value to the entries that could match one host.

`envgen explain` audits every rule of a policy by probing URLs through every tool's model, and
each model reads the whole NO_PROXY value for each URL: probes x entries, quadratic in the
number of rules (minutes for a few hundred). But a plain entry (a name or IPv4 address with at
most a leading `*` or dot, a trailing dot and a port) can only match a host that ends with its
text, in every tool envgen models: label, text-suffix, glob-suffix, exact and address
comparisons are all narrower than "ends with". And an entry with a '/' (CIDR) can only match a
host whose address the model knows. So for one host only the plain entries it ends with, the
network entries if it has an address, and every other entry (globs, IPv6, several tokens
separated by blanks) can matter; the rest is dropped before the model runs. An index of entries
by their text finds them with one dictionary look-up per suffix of the host, instead of one
comparison per entry.

Narrowing keeps the entries in their order and as written, keeps the first non-blank entry so
that a set value never becomes empty (tools differ on an empty variable), and leaves a value
with a lone `*` entry untouched (several tools treat a value of exactly `*` specially).
tests/test_narrowing.py checks that audits with and without narrowing agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from envgen.clients.base import resolved_address
from envgen.noproxy.urls import Url

#: The settings that hold NO_PROXY-style values, and the separator each is split on.
SEPARATORS = {"no_proxy": ",", "NO_PROXY": ",", "noproxy": ",", "http.nonProxyHosts": "|"}

#: A plain entry: a name or IPv4 address, with at most a leading `*` (a suffix glob in Java,
#: proxy-from-env and undici; literal text elsewhere), a leading or trailing dot, and a port.
#: A network entry: one token with a '/' (CIDR, or something a tool will fail to read as one).
_NETWORK = re.compile(r"\s*[^\s*/]*/[^\s*]*\s*")
_PLAIN = re.compile(r"\s*\*?\.?([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\.?(?::[0-9]+)?\s*")


@dataclass(frozen=True)
class Index:
    """One value split into entries, with its plain entries indexed by their text."""

    value: str
    sep: str
    entries: tuple[str, ...]
    always: tuple[int, ...]
    networks: tuple[int, ...]
    by_text: Mapping[str, tuple[int, ...]]
    lengths: tuple[int, ...] = ()  # the lengths of by_text's keys, each once

    def for_host(self, forms: tuple[str, ...], *, address: bool) -> str:
        """The value with only the entries that could match a host written as `forms`.

        Network entries (with a '/', such as CIDR) are kept only for a host a model knows the
        address of (an IP address, or localhost): no host name contains a '/', so no tool
        matches them as text.
        """
        if not self.by_text and not self.networks:
            return self.value
        keep = [*self.always, *(self.networks if address else ())]
        for form in forms:
            # Every suffix of the host that is as long as some entry (a text-suffix model such
            # as requests < 2.34 matches an entry inside a label), not only whole labels.
            for length in self.lengths:
                if length > len(form):
                    break
                found = self.by_text.get(form[-length:])
                if found:
                    keep.extend(found)
        return self.sep.join(self.entries[i] for i in sorted(set(keep)))


@lru_cache(maxsize=64)
def index(value: str, sep: str) -> Index:
    """Split `value` on `sep` and index its plain entries (cached: views repeat values)."""
    entries = tuple(value.split(sep))
    if any(entry.strip() == "*" for entry in entries):
        return Index(value, sep, entries, tuple(range(len(entries))), (), {})
    always: list[int] = []
    networks: list[int] = []
    by_text: dict[str, list[int]] = {}
    first = next((i for i, entry in enumerate(entries) if entry.strip()), None)
    for i, entry in enumerate(entries):
        plain = _PLAIN.fullmatch(entry)
        if i == first:
            always.append(i)
        elif plain is not None:
            by_text.setdefault(plain.group(1).lower(), []).append(i)
        elif _NETWORK.fullmatch(entry):
            networks.append(i)
        else:
            always.append(i)
    frozen = {text: tuple(found) for text, found in by_text.items()}
    lengths = tuple(sorted({len(text) for text in frozen}))
    return Index(value, sep, entries, tuple(always), tuple(networks), frozen, lengths)


@lru_cache(maxsize=1 << 16)
def host_forms(url: Url) -> tuple[str, ...]:
    """Every way a model may write the URL's host, lower-cased: name, bracketed, with port."""
    name = url.hostname.lower()
    forms = (
        name,
        url.host.lower(),
        url.bracketed.lower(),
        url.canonical.lower(),
        url.netloc.lower(),
        f"{name}:{url.effective_port}",
    )
    return tuple(dict.fromkeys(forms))


def narrower(settings: Mapping[str, str]) -> Callable[[Url], Mapping[str, str]]:
    """`narrow` for one `settings` and many URLs: the keys that need narrowing found once for
    every audit of the same settings (several tools read the same environment)."""
    return _narrower(tuple(settings.items()))


@lru_cache(maxsize=64)
def _narrower(items: tuple[tuple[str, str], ...]) -> Callable[[Url], Mapping[str, str]]:
    settings = dict(items)
    present = tuple(
        (key, sep, settings[key]) for key, sep in SEPARATORS.items() if settings.get(key)
    )
    if not present:
        return lambda _url: settings

    def narrowed(url: Url) -> Mapping[str, str]:
        out = dict(settings)
        forms = host_forms(url)
        address = resolved_address(url) is not None  # Ruby matches CIDR for localhost
        for key, sep, value in present:
            out[key] = _narrowed(value, sep, forms, address)
        return out

    return narrowed


def narrow(settings: Mapping[str, str], url: Url) -> Mapping[str, str]:
    """`settings` (an environment or a tool's config) with NO_PROXY-style values narrowed."""
    return narrower(settings)(url)


# Large: every tool reading the same value asks about the same probes (several per rule).
@lru_cache(maxsize=1 << 18)
def _narrowed(value: str, sep: str, forms: tuple[str, ...], address: bool) -> str:
    # Every tool reading the portable value asks the same question about the same probe.
    return index(value, sep).for_host(forms, address=address)
