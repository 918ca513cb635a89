"""The single Jinja environment every template renders with.

StrictUndefined makes a missing variable an error instead of an empty string, and `finalize`
is a last line of defence: generators encode values before they reach a template, so a line
break arriving here would be a bug that could inject a key, and it stops the render.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2


def _finalize(value: Any) -> Any:
    if isinstance(value, str) and any(c in value for c in "\r\n\x00"):
        raise ValueError("unencoded line break reached a template (this is a bug in envgen)")
    return value


@cache
def jinja_environment() -> jinja2.Environment:
    """The shared environment: templates from the package, strict, LF, no autoescape.

    jinja2 is imported here, on the first render, not with the generator modules: `validate`,
    `explain` and `env` load those modules too and would pay ~40 ms for a template engine they
    never use.
    """
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("envgen", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - config files, not HTML; values are encoded per format
        finalize=_finalize,
        newline_sequence="\n",
    )


def render_template(name: str, **context: Any) -> str:
    """Render one template with the given variables."""
    return jinja_environment().get_template(name).render(**context)
