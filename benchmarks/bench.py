"""Time envgen's commands against a baseline (bare interpreter start-up), and print ratios.

Run with `nox -s bench` (or `python benchmarks/bench.py`). Nothing here asserts a time: a
benchmark measures, the reader judges. Each figure is the median of several runs of a fresh
process, so start-up and imports count, as they do for a pre-commit hook.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
RUNS = 7


class Timing(NamedTuple):
    """A command's median wall time and that of `python -c pass` measured alongside it."""

    seconds: float
    base: float


BASELINE: list[str] = [sys.executable, "-c", "pass"]


def timed(
    argv: list[str], cwd: Path, runs: int = RUNS, env: dict[str, str] | None = None
) -> Timing:
    """Median wall time of `argv` over `runs` runs (after one warm-up run), each run paired
    with a run of bare `python -c pass` just before it, so that the ratio compares two
    measurements taken under the same machine load."""
    subprocess.run(argv, cwd=cwd, capture_output=True, check=False, env=env)
    samples, base = [], []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(BASELINE, cwd=cwd, capture_output=True, check=False)
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, capture_output=True, check=False, env=env)
        samples.append(time.perf_counter() - start)
    return Timing(statistics.median(samples), statistics.median(base))


def peak_memory_mb(argv: list[str], cwd: Path) -> float:
    """The child's peak resident memory in MB (getrusage of the waited-for child)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after) / 1024


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


#: A typical team policy: a proxy with a few exceptions, two registries, four targets.
TYPICAL = """version: 1
proxy:
  http: http://proxy.corp.example:3128
  no_proxy: [localhost, 127.0.0.1, .corp.example, 10.0.0.0/8]
registries:
  npm: {url: "https://npm.corp.example/", token: "${NPM_TOKEN}"}
  pypi: {index: "https://pypi.corp.example/simple"}
network: {timeout: 60s, retries: 4, http_version: "1.1"}
caches: {npm: true, pip: true}
targets:
  npm: .npmrc
  pip: pip.conf
  go: go.env
  gitlab-ci: ci/envgen.yml
"""


def many_policies(root: Path, count: int) -> None:
    """`count` small policies in one git work tree, each rendered once (so check is clean)."""
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for i in range(count):
        svc = root / f"svc{i:04d}"
        svc.mkdir()
        (svc / "envgen.yaml").write_text(
            f"version: 1\nregistries: {{npm: {{url: 'https://npm{i}.corp.example/'}}}}\n"
            "targets:\n  npm: .npmrc\n  pip: pip.conf\n",
            encoding="utf-8",
        )


def start_up_rows(
    py: str, envgen: list[str], work: Path, example: Path
) -> list[tuple[str, Timing | None, str]]:
    """The baseline, the import floors and each command on the example policy."""
    cold = {**os.environ, "CI": "true"}  # under CI the record is never trusted: a full check
    rows: list[tuple[str, Timing | None, str]] = []
    rows.append(("python -c pass (baseline)", timed([py, "-c", "pass"], work), ""))
    rows.append(("import envgen.cli", timed([py, "-c", "import envgen.cli"], work), ""))
    # What the policy model and the round-trip YAML parser cost before envgen reads a byte.
    floor = "import envgen.schema.policy, ruamel.yaml"
    rows.append(("import the policy model + ruamel.yaml", timed([py, "-c", floor], work), ""))
    rows.append(("check, up to date (fast path)", timed([*envgen, "check"], example), ""))
    rows.append(
        ("check, cold (CI: always renders)", timed([*envgen, "check"], example, env=cold), "")
    )
    rows.append(("validate (example, 15 targets)", timed([*envgen, "validate"], example), ""))
    rows.append(("render, nothing changes (example)", timed([*envgen, "render"], example), ""))
    rows.append(("explain (example)", timed([*envgen, "explain"], example), ""))
    rows.append(("env --format sh (example)", timed([*envgen, "env"], example), ""))
    typical = work / "typical"
    typical.mkdir()
    (typical / "envgen.yaml").write_text(TYPICAL, encoding="utf-8")
    for command in ("validate", "render", "explain", "env"):
        rows.append((f"{command} (typical: 4 targets)", timed([*envgen, command], typical), ""))
    return rows


def as_installed(py: str) -> None:
    """Measure envgen as an installed package runs: from bytecode.

    pip compiles every module when it installs a wheel, and any install writes __pycache__ on
    the first run; a checkout (an editable install) under PYTHONDONTWRITEBYTECODE=1 would
    instead compile each module from source on every run, which is not what users see. So the
    package is compiled here and the measured processes may write bytecode.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    code = "import envgen, pathlib; print(pathlib.Path(envgen.__file__).parent)"
    package = subprocess.run([py, "-c", code], capture_output=True, text=True, check=True)
    subprocess.run([py, "-m", "compileall", "-q", package.stdout.strip()], check=True)


def main() -> int:
    py = sys.executable
    as_installed(py)
    # The console script, as a pre-commit hook or a user runs it (`python -m envgen` adds
    # runpy's few milliseconds).
    script = Path(py).parent / ("envgen.exe" if os.name == "nt" else "envgen")
    envgen = [str(script)] if script.exists() else [py, "-m", "envgen"]
    rows: list[tuple[str, Timing | None, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        example = work / "example"
        shutil.copytree(REPO / "examples", example)
        subprocess.run([*envgen, "render"], cwd=example, capture_output=True, check=True)
        subprocess.run([*envgen, "check"], cwd=example, capture_output=True, check=True)
        rows += start_up_rows(py, envgen, work, example)
        mono = work / "mono"
        many_policies(mono, 1000)
        subprocess.run([*envgen, "render", "--all"], cwd=mono, capture_output=True, check=True)
        subprocess.run([*envgen, "check", "--all"], cwd=mono, capture_output=True, check=True)
        rows.append(
            ("check --all, 1,000 clean policies", timed([*envgen, "check", "--all"], mono, 3), "")
        )
        previous: dict[str, float] = {}
        for rules in (10, 100, 1000, 10000):
            root = work / f"size-{rules}"
            root.mkdir()
            (root / "envgen.yaml").write_text(policy_with(rules, 10), encoding="utf-8")
            runs = 3 if rules <= 1000 else 1
            for command in ("validate", "explain", "render"):
                timing = timed([*envgen, command], root, runs)
                seconds = timing.seconds
                growth = (
                    f"x{seconds / previous[command]:.1f} vs 1/10 the rules"
                    if command in previous
                    else ""
                )
                previous[command] = seconds
                rows.append((f"{command}, {rules} NO_PROXY rules", timing, growth))
        every = work / "every-target"
        shutil.copytree(REPO / "examples", every)
        rules = "".join(f"    - host{i}.corp.example\n" for i in range(1000))
        (every / "big.yaml").write_text(
            "version: 1\nextends: [envgen.yaml]\nproxy:\n  http: http://proxy.corp.example:3128\n"
            f"  no_proxy:\n{rules}",
            encoding="utf-8",
        )
        label = "render, 1000 rules, all 15 targets"
        rows.append((label, timed([*envgen, "render", "--force", "-p", "big.yaml"], every, 3), ""))
        memory = peak_memory_mb([*envgen, "explain"], work / "size-10000")
        rows.append(("explain, 10000 rules: peak memory", None, f"{memory:.0f} MB"))
    width = max(len(name) for name, _, _ in rows)
    print(f"{'':<{width}}  {'median':>10}  {'x python -c pass':>16}  growth")
    for name, timing, note in rows:
        if timing is not None:
            ratio = timing.seconds / timing.base
            print(f"{name:<{width}}  {timing.seconds * 1000:>8.1f}ms  {ratio:>16.1f}  {note}")
        else:
            print(f"{name:<{width}}  {'':>10}  {'':>16}  {note}")
    print(f"\n{os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
