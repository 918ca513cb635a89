"""Poetry: its own cache (POETRY_CACHE_DIR, keyed on poetry.lock); Poetry takes its package
sources from pyproject.toml, not from pip's settings (python-poetry docs, "Configuration":
cache-dir, POETRY_CACHE_DIR)."""

from __future__ import annotations

from envgen.tools.base import ToolCache

CACHE = ToolCache("poetry", (("POETRY_CACHE_DIR", "poetry"),), ("poetry.lock",))
