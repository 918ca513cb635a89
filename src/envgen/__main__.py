"""`python -m envgen` runs the same entry point as the console script."""

from __future__ import annotations

from envgen.entry import main

raise SystemExit(main())
