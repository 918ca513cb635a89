"""The terminal form of `envgen explain`: one block per tool, or one row per tool for a URL.

Input is the JSON-ready report from `envgen.explain`, so text and `--format json` can never
disagree. Colour goes through the Console (green direct, cyan proxy, yellow losses).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from envgen.console import Console, printable


def _painter(con: Console) -> Callable[[str, str], str]:
    def paint(text: str, key: str) -> str:
        return con.paint(con.out, text, key)

    return paint


def _safe(value: Any) -> Any:
    """The report with every string made printable, before any colour is added."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(k): _safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_safe(v) for v in value]
    return value


def _kv(label: str, value: str) -> str:
    return f"  {label:<12} {value}"


def policy_lines(report: dict[str, Any], con: Console, title: str) -> list[str]:
    """The per-tool blocks for `envgen explain` without a URL (printable, perhaps painted)."""
    report, title = _safe(report), printable(title)
    paint = _painter(con)
    lines = [paint(f"envgen explain: {title}", "head")]
    proxy = report["proxy"]
    lines.append(_kv("proxy", f"http {proxy['http'] or '-'}  https {proxy['https'] or '-'}"))
    if report["rules"]:
        lines.append(_kv("rules", ", ".join(report["rules"])))
    if report["no_proxy"] is not None:
        lines.append(_kv("NO_PROXY", report["no_proxy"] or "(empty)"))
    total = 0
    for tool, entry in report["tools"].items():
        same = f"  (same code as {entry['same_as']})" if entry["same_as"] else ""
        lines += ["", paint(tool, "head") + same]
        lines.append(_kv("reads", entry["reads"]))
        if "model" in entry:
            lines.append(_kv("release", entry["model"]))
        lines.append(_kv("from", entry["source"]))
        tool_proxy = entry["proxy"]
        lines.append(
            _kv(
                "proxy",
                f"http {tool_proxy['http'] or 'none'}  https {tool_proxy['https'] or 'none'}",
            )
        )
        no_proxy = entry["no_proxy"]
        if no_proxy["value"] is not None:
            lines.append(_kv("no-proxy", f"{no_proxy['setting']}={no_proxy['value']}"))
        for key, value in entry["settings"].items():
            lines.append(_kv("setting", f"{key} = {value}"))
        for topic, value in entry.get("network", {}).items():
            lines.append(_kv(topic, value))
        for cred in entry["credentials"]:
            lines.append(_kv("credential", f"{cred['reference']} for {cred['for']}: {cred['via']}"))
        for loss in entry["losses"]:
            total += 1
            subject = loss["rule"] or f"entry {loss['entry']!r}"
            head = paint(f"{loss['actual']} for {loss['url']}", "loss")
            lines.append(_kv("loss", f"{subject}: {head}: {loss['reason']}"))
    for override in report.get("overrides", []):
        lines.append(
            f"note: {override['variable']} is set in this environment and wins over "
            f"{override['overrides']} from envgen"
        )
    lines += ["", f"{total} loss(es) across {len(report['tools'])} tools"]
    return lines


def url_lines(report: dict[str, Any], con: Console) -> list[str]:
    """The per-tool decision table for `envgen explain URL` (printable, perhaps painted)."""
    report = _safe(report)
    paint = _painter(con)
    meant = report.get("policy_rule")
    lines = [paint(report["url"], "head") + (f"  (policy rule: {meant})" if meant else "")]
    width = max(len(t) for t in report["tools"])
    for tool, entry in report["tools"].items():
        decision = entry["decision"]
        what = f"via {entry['proxy']}" if decision == "proxy" else f"rule {entry['rule'] or '-'}"
        cred = f"  credential {entry['credential']}" if entry["credential"] else ""
        lines.append(f"{tool:<{width}}  {paint(f'{decision:<6}', decision)}  {what}{cred}")
        lines.append(f"{'':<{width}}  {entry['reason']}")
        if "model" in entry:
            lines.append(f"{'':<{width}}  modelled as {entry['model']}")
    return lines
