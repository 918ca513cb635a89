"""`envgen doctor [URL ...]`: run the installed tools against loopback fakes and compare.

Exit codes: 0 every tool went where the policy means; 1 a tool went elsewhere or made no
connection; 2 nothing could be checked (no user namespaces, not Linux, no tool found) or the
policy or a URL is invalid.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envgen.doctor import probes as probe_table
from envgen.doctor import report as doctor_report
from envgen.doctor import spec as doctor_spec
from envgen.doctor.probes import Probe
from envgen.errors import EXIT_OK
from envgen.noproxy.urls import parse_url
from envgen.secrets import excerpt

if TYPE_CHECKING:
    from envgen.console import Console
    from envgen.plan import Plan
    from envgen.schema.policy import Policy

EXIT_DIFFERS = 1
EXIT_NOTHING_CHECKED = 2
SANDBOX = ("unshare", "--user", "--map-root-user", "--net", "--mount", "--")


#: A host name a hosts file can carry (punycode for an internationalised one).
_HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")


def split_tools(given: list[str] | None) -> tuple[list[str] | None, list[str]]:
    """(the tools named, the URLs among them): `--tool curl https://x/` takes the URL too,
    and argparse cannot tell; ValueError names a tool doctor does not know."""
    if given is None:
        return None, []
    urls = [item for item in given if "://" in item]
    tools = [item for item in given if "://" not in item]
    known = [p.name for p in probe_table.PROBES]
    for tool in tools:
        if tool not in known:
            raise ValueError(
                f"doctor: unknown tool {excerpt(tool)}; choose from {', '.join(known)}"
            )
    return tools, urls


def check_urls(urls: list[str]) -> None:
    """ValueError (its message for the user) for a URL doctor cannot try: not http(s), or a
    host no hosts file can carry."""
    for url in urls:
        parsed = parse_url(url)
        if parsed.address is None and not _HOST_NAME.fullmatch(parsed.name):
            raise ValueError(
                f"doctor: {excerpt(url)} has a host no hosts file can carry; give a DNS name "
                "or an address"
            )


def _sandbox_unavailable() -> str | None:
    """Why the private namespace cannot be made here, or None."""
    if not sys.platform.startswith("linux"):
        return f"needs Linux user, network and mount namespaces ({sys.platform} has none)"
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "needs util-linux's unshare and mount on PATH"
    done = subprocess.run([*SANDBOX, "true"], capture_output=True, text=True, check=False)
    if done.returncode:
        lines = done.stderr.strip().splitlines()
        why = lines[-1] if lines else f"exit {done.returncode}"
        return (
            f"cannot create a private user + network namespace ({why}); unprivileged user "
            "namespaces may be disabled (sysctl user.max_user_namespaces, or "
            "kernel.unprivileged_userns_clone on Debian kernels)"
        )
    return None


def _write_files(plan: Plan, files: Path) -> None:
    for artifact in plan.artifacts:
        path = files / artifact.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(artifact.content)
        path.chmod(artifact.mode)


def _base_env(work: Path) -> dict[str, str]:
    """A clean environment: the user's PATH, everything else private to the run (the user's own
    proxy variables and tool configuration never reach it)."""
    from envgen.tools import go, npm

    home = work / "home"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(work / "tmp"),
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "GOPATH": str(home / "go"),
    }
    for cache in (go.CACHE, npm.CACHE):  # the tools' caches, in the scratch directory
        env |= {variable: str(home / ".cache" / sub) for variable, sub in cache.dirs}
    return env


def _find(
    tools: list[str] | None,
) -> tuple[list[tuple[Probe, str]], dict[str, str | None], list[dict[str, str]]]:
    """The chosen tools found on PATH with their versions, and the ones skipped, with why."""
    found: list[tuple[Probe, str]] = []
    versions: dict[str, str | None] = {}
    skipped: list[dict[str, str]] = []
    for probe in probe_table.PROBES:
        if (probe.name not in tools) if tools is not None else not probe.default:
            continue
        path = probe.find()
        version = probe.version(path) if path else None
        if path is None:
            skipped.append({"tool": probe.name, "why": f"{probe.executable} is not on PATH"})
        elif version is None and probe.name == "python-requests":
            skipped.append({"tool": probe.name, "why": f"{path} cannot import requests"})
        else:
            found.append((probe, path))
            versions[probe.name] = version
    return found, versions, skipped


def _execute(spec: doctor_spec.Spec, work: Path) -> tuple[dict[int, dict[str, Any]], str | None]:
    """Run the spec in the sandbox: each run's record by id, or why nothing ran."""
    for name in ("home", "tmp", "runs"):
        (work / name).mkdir()
    for one in spec.runs:
        Path(one.cwd).mkdir(parents=True)
    (work / "spec.json").write_text(json.dumps(spec.as_json()), encoding="utf-8")
    done = subprocess.run(
        [*SANDBOX, sys.executable, "-m", "envgen.doctor.sandbox", str(work / "spec.json")],
        capture_output=True,
        text=True,
        check=False,
        timeout=len(spec.runs) * (doctor_spec.RUN_SECONDS + 5) + 60,
    )
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        return {}, (done.stderr.strip() or f"the sandbox ended with exit {done.returncode}")[-500:]
    if not answer["setup"]["ok"]:
        return {}, str(answer["setup"]["why"])
    return {r["id"]: r for r in answer["runs"]}, None


def run(
    *,
    con: Console,
    model: Policy,
    plan: Plan,
    urls: list[str],
    tools: list[str] | None,
    output_format: str,
) -> int:
    """Check every tool found against every URL; print the report; return the exit code."""
    from envgen.explain.report import explain_url
    from envgen.tools import exported, proxyenv

    found, versions, skipped = _find(tools)
    urls = urls or doctor_spec.derived_urls(model, proxyenv.rules(model))
    unavailable = _sandbox_unavailable()
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="envgen-doctor-") as tmp:
        work = Path(tmp)
        _write_files(plan, work / "files")
        variables = exported.variables(model, str(work / "files"), replacing=True)
        texts = [a.content.decode("utf-8", "replace") for a in plan.artifacts]
        spec = doctor_spec.build(
            model,
            urls,
            found,
            variables=variables,
            work=str(work),
            base_env=_base_env(work),
            references=doctor_spec.references_in(texts),
        )
        if unavailable is None and spec.runs:
            con.progress(
                f"doctor: {len(found)} tool(s) x {len(urls)} URL(s) in a private network "
                "namespace (nothing leaves this machine)"
            )
            results, unavailable = _execute(spec, work)
    if unavailable is not None:
        skipped += [{"tool": p.name, "why": unavailable} for p, _ in found]
    report = _report(
        model, urls, runs=spec.runs, results=results, versions=versions, skipped=skipped,
        explain_url=explain_url,
    )  # fmt: skip
    if output_format == "json":
        con.always(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for line in doctor_report.text_lines(report):
            con.always(line)
    summary = report["summary"]
    if not results:
        con.fatal("doctor: nothing could be checked" + (f": {unavailable}" if unavailable else ""))
        return EXIT_NOTHING_CHECKED
    if summary["differ"] + summary["no_connection"]:
        bad = summary["differ"] + summary["no_connection"]
        con.fatal(f"doctor: {bad} of {summary['runs']} run(s) did not go where the policy means")
        return EXIT_DIFFERS
    if output_format != "json":  # the document says it
        con.line(f"doctor: {summary['runs']} run(s), every tool went where the policy means")
    return EXIT_OK


def _report(
    model: Policy,
    urls: list[str],
    *,
    runs: list[doctor_spec.Run],
    results: dict[int, dict[str, Any]],
    versions: dict[str, str | None],
    skipped: list[dict[str, str]],
    explain_url: Any,
) -> dict[str, Any]:
    entries = []
    counts = {"runs": 0, "ok": 0, "differ": 0, "no_connection": 0}
    # Each prediction is for the release found; git reads NO_PROXY through libcurl, taken to be
    # the one the curl found on PATH uses (the system's).
    releases = {
        probe_table.BY_NAME[name].model: version
        for name, version in versions.items()
        if version is not None and name != "git"
    }
    if versions.get("curl"):
        releases["git"] = str(versions["curl"])
    for url in urls:
        predicted = explain_url(model, url, versions=releases)
        has_proxy = any(t["proxy"] for t in predicted["tools"].values())
        expected = "direct" if predicted["policy_rule"] or not has_proxy else "proxy"
        tools: dict[str, Any] = {}
        for one in runs:
            if one.url != url or one.id not in results:
                continue
            seen = doctor_report.observed(results[one.id])
            verdict = doctor_report.verdict(expected, seen)
            model_name = probe_table.BY_NAME[one.probe].model
            tools[one.probe] = {
                **predicted["tools"][model_name],
                "version": versions.get(one.probe),
                "observed": seen.as_dict(),
                "verdict": verdict,
                "matches_policy": verdict == doctor_report.OK,
                "matches_explain": seen.route == predicted["tools"][model_name]["decision"],
            }
            counts["runs"] += 1
            key = {"ok": "ok", "differs": "differ"}.get(verdict, "no_connection")
            counts[key] += 1
        entries.append({**predicted, "tools": tools, "expected": expected})
    return {"urls": entries, "skipped": skipped, "summary": counts}
