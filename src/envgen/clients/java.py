"""Java: java.net DefaultProxySelector, which reads system properties and no environment."""

from __future__ import annotations

from envgen.clients.base import Decision, Env, Model
from envgen.noproxy.urls import Url


def _java_glob(pattern: str, host: str) -> bool:
    """Whether `host` matches one nonProxyHosts pattern.

    DefaultProxySelector turns each pattern into a regular expression: a leading and a trailing
    `*` become `.*` and the rest is quoted (`*x*` is "contains x", `*x` "ends with x", `x*`
    "starts with x", anything else equality). The same tests are made here on the text: compiling
    one expression per entry cost most of `explain` on a long list.
    """
    if pattern.startswith("*") and pattern.endswith("*") and len(pattern) > 1:
        return pattern[1:-1] in host
    if pattern.startswith("*"):
        return host.endswith(pattern[1:])
    if pattern.endswith("*"):
        return host.startswith(pattern[:-1])
    return host == pattern


def match_java(value: str, url: Url) -> str | None:
    """java.net DefaultProxySelector: http.nonProxyHosts globs against the URI's host."""
    # java.net.URI keeps the host as written: an internationalised name in Unicode, matched
    # case-insensitively (String.toLowerCase), an IPv6 address in brackets as written.
    host = url.bracketed.lower() if url.address is not None else url.written.lower()
    for raw in value.split("|"):
        pattern = raw.lower()  # not trimmed: " a.example" never matches (seen with JDK 17)
        if pattern and _java_glob(pattern, host):
            return raw
    return None


JAVA_LOOPBACK = "localhost|127.*|[::1]|0.0.0.0|[::0]"


def _java_decide(_env: Env, config: Env, url: Url) -> Decision:
    """DefaultProxySelector.select with the proxy properties.

    A non-empty http.nonProxyHosts gets Java's loopback patterns appended (seen with JDK 17:
    loopback stays direct); an empty one matches nothing; an unset one is the default list.
    """
    prefix = "https" if url.scheme == "https" else "http"
    host = config.get(f"{prefix}.proxyHost")
    if not host:
        return Decision(
            None,
            None,
            f"Java reads no proxy environment variables and -D{prefix}.proxyHost is not set",
        )
    port = config.get(f"{prefix}.proxyPort") or ("443" if prefix == "https" else "80")
    patterns = config.get("http.nonProxyHosts", JAVA_LOOPBACK)
    if patterns and patterns != JAVA_LOOPBACK:
        patterns = f"{patterns}|{JAVA_LOOPBACK}"
    entry = match_java(patterns, url)
    if entry is not None:
        return Decision(
            None,
            entry,
            f"http.nonProxyHosts pattern {entry!r} matches {url.host}",
            f"{prefix}.proxyHost",
            "http.nonProxyHosts",
        )
    return Decision(
        f"http://{host}:{port}",
        None,
        f"no http.nonProxyHosts pattern matches {url.host}",
        f"{prefix}.proxyHost",
        "http.nonProxyHosts",
    )


MODELS = (
    Model(
        "java",
        "java",
        "system properties only: -Dhttp(s).proxyHost/Port, -Dhttp.nonProxyHosts",
        "http.nonProxyHosts",
        _java_decide,
        http2=True,  # java.net.http.HttpClient prefers HTTP/2 (HttpURLConnection speaks 1.1)
    ),
)
