"""Version-aware models: each transcribed release of a tool against that release's own tests.

curl's tests/unit/unit1614.c lists (host, NO_PROXY, expected) for Curl_check_noproxy; the
tables below are copied from the curl-7_86_0 and curl-7_87_0 tags (curl/curl on GitHub). The
rows with a bracketed IPv6 host are left out: curl's own caller passes the host without
brackets (a URL cannot reach those rows), and envgen models what a URL reaches. curl 7.85 had
no unit test for this; its rows are read off lib/url.c check_noproxy at curl-7_85_0.
"""

from __future__ import annotations

import pytest

from envgen.clients import MODELS, curl
from envgen.clients.versions import VARIANTS, parse_version, select
from envgen.noproxy.urls import parse_url

UNIT1614_7_86 = [
    ("foobar", "barfoo", False),
    ("foobar", "foobar", True),
    ("192.168.0.1", "foobar", False),
    ("192.168.0.1", "192.168.0.0/16", True),
    ("192.168.0.1", "192.168.0.0/24", True),
    ("192.168.0.1", "192.168.0.0/32", False),
    ("192.168.0.1", "192.168.0.0", False),
    ("192.168.1.1", "192.168.0.0/24", False),
    ("192.168.1.1", "foo, bar, 192.168.0.0/24", False),
    ("192.168.1.1", "foo, bar, 192.168.0.0/16", True),
    ("bar", "foo, bar, ::1/64", True),
    ("BAr", "foo, bar, ::1/64", True),
    ("BAr", "foo,,,,,              bar, ::1/64", True),
    ("www.example.com", "foo, .example.com", True),
    ("www.example.com", "www2.example.com, .example.net", False),
    ("example.com", ".example.com, .example.net", True),
    ("nonexample.com", ".example.com, .example.net", False),
]


UNIT1614_7_87 = [
    ("www.example.com", "localhost,.example.com,.example.de", True),
    ("www.example.com.", "localhost,.example.com,.example.de", True),
    ("example.com", "localhost,.example.com,.example.de", True),
    ("example.com.", "localhost,.example.com,.example.de", True),
    ("www.example.com", "localhost,.example.com.,.example.de", True),
    ("www.example.com", "localhost,www.example.com.,.example.de", True),
    ("example.com", "localhost,example.com,.example.de", True),
    ("example.com.", "localhost,example.com,.example.de", True),
    ("nexample.com", "localhost,example.com,.example.de", False),
    ("www.example.com", "localhost,example.com,.example.de", True),
    ("127.0.0.1", "127.0.0.1,localhost", True),
    ("127.0.0.1", "127.0.0.1,localhost,", True),
    ("127.0.0.1", "127.0.0.1/8,localhost,", True),
    ("127.0.0.1", "127.0.0.1/28,localhost,", True),
    ("127.0.0.1", "127.0.0.1/31,localhost,", True),
    ("127.0.0.1", "localhost,127.0.0.1", True),
    ("127.0.0.1", "localhost," + "127.0.0.1." * 10 + "127.0.0.1.127.0.0.1.127.0.0.", False),
    ("127.0.0.1", "localhost," + "127.0.0.1." * 10 + "127.0.0.1.127.0.0.1.127.0.0", False),
    ("localhost", "localhost,127.0.0.1", True),
    ("localhost", "127.0.0.1,localhost", True),
    *UNIT1614_7_86,
]

#: curl 7.85.0, read off check_noproxy: tail match at a dot, text only, ", " separators.
CHECK_NOPROXY_7_85 = [
    ("www.example.com", "localhost,example.com", True),  # a tail at a dot, no leading dot
    ("www.example.com", ".example.com,localhost", True),  # not only as the last token
    ("nonexample.com", "example.com", False),  # no dot before the tail
    ("10.1.2.3", "10.0.0.0/8", False),  # no CIDR
    ("10.0.0.1", "0.0.1", True),  # an address is text: a tail at a dot
    ("www.example.com", "foo\t.example.com", False),  # a tab is not a separator
    ("www.example.com.", "example.com", False),  # the trailing dot is not stripped
    ("EXAMPLE.com", "example.COM", True),
]


def _matches(matcher, host: str, value: str) -> bool:  # type: ignore[no-untyped-def]
    return matcher(value, parse_url(f"http://{host}/")) is not None


@pytest.mark.parametrize(("host", "value", "expected"), UNIT1614_7_86)
def test_curl_7_86_as_its_own_unit_test(host: str, value: str, expected: bool) -> None:
    assert _matches(curl.match_curl_7_86, host, value) is expected


@pytest.mark.parametrize(("host", "value", "expected"), UNIT1614_7_87)
def test_curl_7_87_and_later_as_7_87s_unit_test(host: str, value: str, expected: bool) -> None:
    assert _matches(curl.match_curl, host, value) is expected


@pytest.mark.parametrize(("host", "value", "expected"), CHECK_NOPROXY_7_85)
def test_curl_before_7_86_as_check_noproxy_reads(host: str, value: str, expected: bool) -> None:
    assert _matches(curl.match_curl_before_7_86, host, value) is expected


def test_curl_7_86_compares_a_token_into_the_rest_of_the_value() -> None:
    """curl/curl#9821: with `localhost,.google.com,.google.de`, 7.86.0 proxied www.google.com
    (only the last token matched by its tail); 7.87 fixed it."""
    value = "localhost,.google.com,.google.de"
    assert not _matches(curl.match_curl_7_86, "www.google.com", value)
    assert _matches(curl.match_curl_7_86, "www.google.de", value)
    assert _matches(curl.match_curl, "www.google.com", value)
    # curl/curl#9813: an address not last in the list never matched.
    assert not _matches(curl.match_curl_7_86, "127.0.0.1", "127.0.0.1,localhost")
    assert _matches(curl.match_curl_7_86, "127.0.0.1", "localhost,127.0.0.1")


ENV = {"http_proxy": "http://proxy.example:3128", "no_proxy": "10.0.0.0/8"}


@pytest.mark.parametrize(
    ("tool", "version", "direct"),
    [
        ("curl", "7.85.0", False),
        ("curl", "7.86", True),
        ("curl", "8.5.0", True),
        ("git", "7.74", False),  # a git built on libcurl 7.74 (Debian 11)
        ("curl", None, True),
    ],
)
def test_explain_selects_the_release(tool: str, version: str | None, direct: bool) -> None:
    model, holds_for = select(MODELS, tool, version)
    assert model.name == tool
    assert model.decide(ENV, {}, parse_url("http://10.1.2.3/")).direct is direct
    assert holds_for


def test_requests_and_pip_before_2_34_compare_text_suffixes() -> None:
    env = {"http_proxy": "http://proxy.example:3128", "no_proxy": "corp.example"}
    url = parse_url("http://xcorp.example/")
    for tool, old, new in (("python-requests", "2.31.0", "2.34.2"), ("pip", "23.2.1", "26.2")):
        assert select(MODELS, tool, old)[0].decide(env, {}, url).direct, tool
        assert not select(MODELS, tool, new)[0].decide(env, {}, url).direct, tool


def test_a_single_model_tool_says_which_release_it_describes() -> None:
    model, holds_for = select(MODELS, "wget", "1.25")
    assert model is MODELS["wget"]
    assert holds_for == "wget 1.25: envgen models wget 1.21.3; other releases are not told apart"


def test_variants_cover_every_version_once() -> None:
    for tool, variants in VARIANTS.items():
        for probe in [(0,), (7, 85, 9), (7, 86, 0), (7, 87), (2, 33, 1), (2, 34), (26, 1), (99,)]:
            assert sum(v.covers(probe) for v in variants) == 1, (tool, probe)


@pytest.mark.parametrize(("text", "parsed"), [("7.85", (7, 85)), ("go1.24.1", (1, 24, 1)),
                                              ("v22.21.0", (22, 21, 0))])  # fmt: skip
def test_versions_parse(text: str, parsed: tuple[int, ...]) -> None:
    assert parse_version(text) == parsed


def test_a_version_without_numbers_is_refused() -> None:
    with pytest.raises(ValueError, match="is not a version"):
        parse_version("latest")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["curly=7"], "expected NAME=VERSION with NAME one of curl, git,"),
        (["curl"], "expected NAME=VERSION"),
        (["curl=seven"], "'seven' is not a version"),
    ],
)
def test_a_bad_tool_version_says_what_to_write(given: list[str], message: str) -> None:
    from envgen.clients.versions import parse_tool_versions

    with pytest.raises(ValueError, match=message):
        parse_tool_versions(given)


def test_explain_refuses_a_bad_tool_version_with_exit_2(run_envgen, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run_envgen(
        "explain",
        "--no-proxy",
        "a.example",
        "--tool",
        "curl=seven",
        "http://a.example/",
        cwd=tmp_path,
    )
    assert result.code == 2
    assert "envgen: error: --tool 'curl=seven': 'seven' is not a version" in result.err
