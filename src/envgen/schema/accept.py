"""Policy section `accept`: warnings a team has accepted (docs/contract.md 4.6)."""

from __future__ import annotations

import difflib
from typing import Annotated

from envgen.codes import CODES
from envgen.schema.fields import After, Field, fail
from envgen.schema.model import Section
from envgen.schema.types import Text
from envgen.secrets import excerpt


def _code(value: str) -> str:
    if value not in CODES:
        # Letters typed for digits (EG2O1, EG2l1) first, then the nearest code.
        normal = value.upper().replace("O", "0").replace("L", "1").replace("I", "1")
        close = [normal] if normal in CODES else []
        close = close or difflib.get_close_matches(normal, sorted(CODES), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise fail(
            f"unknown warning code {excerpt(value)}{hint} (the codes are listed in "
            "docs/warnings.md; a warning prints its code at the end, e.g. [EG201])"
        )
    return value


class Accept(Section):
    """A warning the team has accepted: `validate` and `render` no longer print it
    (`validate --all-warnings` shows it, marked accepted)."""

    code: Annotated[str, After(_code)] = Field(
        description="The warning's code, printed at the end of it, e.g. EG201."
    )
    rule: Text | None = Field(
        None,
        description="What the warning is about: the NO_PROXY rule or entry, the CA file or the "
        "credential reference; without it, every warning of the code.",
    )
    reason: Text = Field(description="Why the team accepts it (shown by --all-warnings).")
