"""`envgen new`: scaffold a repository from a template with cookiecutter, then render it.

cookiecutter is imported here only, so that no other command pays for it (a test checks that
`envgen check` never imports it). The shipped templates are `envgen.scaffold.TEMPLATES`; a
local path or a git URL is passed to cookiecutter as it is.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from envgen.console import Console
from envgen.diagnostics import display_path, error
from envgen.errors import EXIT_OK, PolicyError, RefusedError
from envgen.scaffold import TEMPLATES, path_of


def _source(template: str) -> str:
    if template in TEMPLATES:
        return str(path_of(template))
    if Path(template).is_dir() or "://" in template or template.startswith(("git@", "gh:", "gl:")):
        return template
    close = difflib.get_close_matches(template, sorted(TEMPLATES), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise PolicyError(
        [
            error(
                f"new: no template {template!r}{hint} (shipped: {', '.join(TEMPLATES)}; or a "
                "directory or git URL of a cookiecutter template; `envgen new --list`)"
            )
        ]
    )


def _context(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise PolicyError([error(f"new: --extra-context takes KEY=VALUE, not {pair!r}")])
        out[key] = value
    return out


def cmd_new(
    *,
    con: Console,
    policy: str | None = None,
    template: str | None = None,
    no_input: bool = False,
    output_dir: str = ".",
    extra_context: list[str] | None = None,
    list_templates: bool = False,
) -> int:
    """Scaffold a repository, render its policy, and say what to do next."""
    del policy  # a new repository has no policy yet
    if list_templates:
        width = max(len(name) for name in TEMPLATES)
        for name, summary in TEMPLATES.items():
            con.always(f"{name:<{width}}  {summary}")
        return EXIT_OK
    source = _source(template or "default")
    context = _context(extra_context or [])
    from cookiecutter.exceptions import CookiecutterException, OutputDirExistsException
    from cookiecutter.main import cookiecutter

    try:
        created = Path(
            cookiecutter(source, no_input=no_input, output_dir=output_dir, extra_context=context)
        )
    except OutputDirExistsException as exc:
        raise RefusedError([error(f"new: {exc}; choose another name or -o DIR")]) from None
    except (CookiecutterException, OSError) as exc:
        raise PolicyError([error(f"new: the template failed: {exc}")]) from None
    policy_file = created / "envgen.yaml"
    if policy_file.is_file():
        from envgen.commands import cmd_render

        cmd_render(con=con, policy=str(policy_file))
    shown = display_path(created)
    con.line(f"created {shown}")
    con.line(f"next: cd {shown} && git init && pre-commit install && git add -A && git commit")
    return EXIT_OK
