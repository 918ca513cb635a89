"""Line-based config files (.npmrc, pip.conf, go.env, systemd drop-ins), written line by line.

These files are a header and one `key=value` per line; a template engine added nothing to them
but its import time (jinja2 took about a tenth of every `validate` and `render`). Every value
has been encoded for its format before it gets here, so a line break, CR or NUL inside a line
would be a bug that could add a key to the file: it stops the render instead (the last line of
defence that the templates' `finalize` hook was).
"""

from __future__ import annotations

from collections.abc import Iterable


def lines_file(lines: Iterable[str]) -> str:
    """The lines, each ended by LF; refuses a line that holds a line break or NUL."""
    out = list(lines)
    for line in out:
        if any(c in line for c in "\r\n\x00"):
            raise ValueError("unencoded line break reached a file (this is a bug in envgen)")
    return "".join(f"{line}\n" for line in out)
