"""Time envgen's commands against a baseline (bare interpreter start-up), and print ratios.

Run with `nox -s bench` (or `python benchmarks/bench.py`). Nothing here asserts a time: a
benchmark measures, the reader judges. Each figure is the median of several runs of a fresh
process, so start-up and imports count, as they do for a pre-commit hook.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 7


def timed(argv: list[str], cwd: Path) -> float:
    """Median wall time of `argv` in seconds over RUNS runs (after one warm-up run)."""
    subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def policy_with(rules: int, scopes: int) -> str:
    """A valid policy with `rules` NO_PROXY rules and `scopes` npm scopes."""
    lines = [
        "version: 1",
        "proxy:",
        "  http: http://proxy.corp.example:3128",
        "  no_proxy:",
        *(f"    - host{i}.corp.example" for i in range(rules)),
        "registries:",
        "  npm:",
        "    url: https://npm.corp.example/",
        "    scopes:",
        *(f'      "@s{i}": {{url: "https://npm.corp.example/s{i}/"}}' for i in range(scopes)),
        "caches: {npm: true, pip: true, go: true}",
        "targets:",
        "  npm: .npmrc",
        "  pip: pip.conf",
        "  go: go.env",
        "  docker: docker/daemon.json",
        "  gitlab-ci: ci/envgen.yml",
        "  github-actions: .github/actions/envgen/action.yml",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    py = sys.executable
    envgen = [py, "-m", "envgen"]
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        example = work / "example"
        shutil.copytree(REPO / "examples", example)
        subprocess.run([*envgen, "render"], cwd=example, capture_output=True, check=True)
        rows.append(("python -c pass (baseline)", timed([py, "-c", "pass"], work)))
        rows.append(("import envgen.cli", timed([py, "-c", "import envgen.cli"], work)))
        rows.append(
            ("check, up to date (fast path: envgen's record)", timed([*envgen, "check"], example))
        )
        rows.append(("validate (example, 14 targets)", timed([*envgen, "validate"], example)))
        rows.append(("render, nothing changes (example)", timed([*envgen, "render"], example)))
        rows.append(("explain (example)", timed([*envgen, "explain"], example)))
        rows.append(("env --format sh (example)", timed([*envgen, "env"], example)))
        for rules, scopes in ((10, 10), (100, 100), (1000, 300)):
            root = work / f"size-{rules}"
            root.mkdir()
            (root / "envgen.yaml").write_text(policy_with(rules, scopes), encoding="utf-8")
            label = f"validate, {rules} NO_PROXY rules + {scopes} npm scopes"
            rows.append((label, timed([*envgen, "validate"], root)))
            # explain audits every rule through 13 tool models (indexed: envgen.explain.narrowing)
            label = f"explain, {rules} NO_PROXY rules"
            rows.append((label, timed([*envgen, "explain"], root)))
    base = rows[0][1]
    width = max(len(name) for name, _ in rows)
    print(f"{'':<{width}}  {'median':>9}  {'x baseline':>10}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds * 1000:>7.1f}ms  {seconds / base:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
