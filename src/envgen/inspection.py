"""The verbs that look at a policy and write nothing: explain, env and doctor.

Like every verb (envgen.commands), each takes keyword arguments and a Console and returns an
exit code; envgen.commands holds the loading and planning they share and forwards to them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from envgen.commands import _load, _plan
from envgen.console import Console
from envgen.diagnostics import Severity, display_path, error
from envgen.errors import EXIT_OK, PolicyError
from envgen.loader import find_policy

if TYPE_CHECKING:
    from envgen.schema.policy import Policy


def _explain_policy(policy: str | None, no_proxy: str | None) -> tuple[str, Policy | None]:
    """The policy to explain: required, unless --no-proxy asks about a bare value."""
    if no_proxy is not None and policy is None and find_policy(Path.cwd()) is None:
        return "--no-proxy value, no policy", None
    loaded, model, _ = _load(policy)
    return display_path(loaded.path), model


def cmd_explain(
    *,
    con: Console,
    policy: str | None,
    url: str | None = None,
    output_format: str = "text",
    no_proxy: str | None = None,
    tool_versions: list[str] | None = None,
) -> int:
    """Per tool, the effective settings and every loss; with a URL, each tool's decision;
    `tool_versions` (NAME=VERSION) model those tools as those releases."""
    import json

    from envgen.explain import report as explain
    from envgen.explain import text as explain_text

    if url is not None:
        from envgen.noproxy.urls import parse_url

        try:
            parse_url(url)
        except ValueError as exc:
            raise PolicyError([error(str(exc))]) from None
    from envgen.clients.versions import parse_tool_versions

    try:
        versions = parse_tool_versions(tool_versions or [])
    except ValueError as exc:
        raise PolicyError([error(str(exc))]) from None
    title, model = _explain_policy(policy, no_proxy)
    if url is not None:
        report = explain.explain_url(model, url, no_proxy, versions)
        lines = None if output_format == "json" else explain_text.url_lines(report, con)
    else:
        report = explain.explain_policy(model, no_proxy, os.environ, versions)
        lines = None if output_format == "json" else explain_text.policy_lines(report, con, title)
    if lines is None:
        con.always(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for line in lines:
            con.emit(line)
    return EXIT_OK


def cmd_env(
    *, con: Console, policy: str | None, output_format: str = "sh", all_pointers: bool = False
) -> int:
    """Print the policy's environment for one shell or CI system, with the pointers to the
    rendered files (absolute paths): the adding ones, and with `all_pointers` the replacing."""
    from envgen.diagnostics import Diagnostic, note
    from envgen.formats import shell
    from envgen.tools import exported, pointers, tls

    loaded, model, warnings = _load(policy)
    con.diagnostics(warnings)
    # The CA variables replace their tools' trust stores: say which, where ca_file is written.
    con.diagnostics(
        [
            Diagnostic(f.severity, f"env: {f.message}", loaded.positions.value(f.loc or ()))
            for f in tls.settings(model).findings
        ]
    )
    root = str(loaded.root.resolve())
    env = exported.variables(model, root, replacing=all_pointers)
    rendered = shell.render(env, output_format)
    con.always(rendered.text)
    con.diagnostics([note(n) for n in rendered.notes])
    withheld = [p.variable for p, _ in pointers.pointed(model, replacing=True) if not p.adds]
    if withheld and not all_pointers:
        con.diagnostics(
            [
                note(
                    f"env: --all-pointers also sets {', '.join(withheld)} to the rendered files; "
                    "they replace your own configuration of those tools (the CI targets set them)"
                )
            ]
        )
    return EXIT_OK


def cmd_doctor(
    *,
    con: Console,
    policy: str | None,
    urls: list[str] | None = None,
    tools: list[str] | None = None,
    output_format: str = "text",
) -> int:
    """Run the installed tools with the rendered settings against loopback fakes, in a private
    network namespace, and compare each route with the policy and `explain` (envgen.doctor)."""
    from envgen.doctor.command import check_urls, run, split_tools

    try:
        # `--tool curl https://x/` reads the URL as a tool: it is taken as a URL
        tools, given = split_tools(tools)
        urls = [*(urls or []), *given]
        check_urls(urls)
    except ValueError as exc:
        raise PolicyError([error(str(exc))]) from None
    _, plan = _plan(policy, None)
    errors = [d for d in plan.diagnostics if d.severity is Severity.ERROR]
    if errors:  # what render would refuse to write, doctor does not try
        raise PolicyError(errors)
    return run(
        con=con,
        model=plan.policy,
        plan=plan,
        urls=list(urls or []),
        tools=tools,
        output_format=output_format,
    )
