"""envgen: one declarative policy, rendered into the config files each tool really reads."""

from __future__ import annotations

__version__ = "0.1.0"
