"""What `envgen doctor` found: each run compared with the policy and with `envgen explain`.

The JSON shape extends `envgen explain URL --format json` (docs/output.md): per URL the same
`url`, `policy_rule` and per-tool `decision`, `proxy`, `rule`, `credential` and `reason` (the
prediction), plus `expected` (what the policy means) and, per tool, `version` and `observed`
(the route the real tool took, where it connected, the credential references it sent).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: A run's verdicts, and whether each makes `envgen doctor` exit 1.
OK, DIFFERS, NO_CONNECTION = "ok", "differs", "no connection"


@dataclass(frozen=True)
class Observed:
    """What one real tool did for one URL."""

    route: str  # "direct", "proxy" or "none"
    via: str | None  # the proxy's port and request, or the origin's
    credentials: tuple[str, ...]
    exit: int | None
    stderr: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "via": self.via,
            "credentials": list(self.credentials),
            "exit": self.exit,
            "stderr": self.stderr,
        }


def observed(run: dict[str, Any]) -> Observed:
    """The route of a run from the events the fakes recorded."""
    events = run.get("events", [])
    proxied = [e for e in events if e["listener"] == "proxy"]
    direct = [e for e in events if e["listener"] == "origin"]
    credentials = tuple(sorted({c for e in events for c in e.get("credentials", [])}))
    tail = "\n".join(run.get("stderr", "").strip().splitlines()[-3:])
    if proxied:
        first = proxied[0]
        return Observed(
            "proxy", f"port {first['port']}: {first['request']}", credentials, run.get("exit"), tail
        )
    if direct:
        first = direct[0]
        how = f"TLS to {first['host']}" if first["request"] == "TLS" else first["request"]
        return Observed(
            "direct", f"port {first['port']}: {how}", credentials, run.get("exit"), tail
        )
    return Observed("none", None, credentials, run.get("exit"), tail)


def verdict(expected: str, seen: Observed) -> str:
    """ok when the tool went where the policy means; else why not."""
    if seen.route == "none":
        return NO_CONNECTION
    return OK if seen.route == expected else DIFFERS


def text_lines(report: dict[str, Any]) -> list[str]:
    """The report for a terminal: per URL, one line per tool."""
    lines: list[str] = []
    width = max(
        (
            len(f"{t} {e.get('version') or '?'}")
            for u in report["urls"]
            for t, e in u["tools"].items()
        ),
        default=10,
    )
    for entry in report["urls"]:
        rule = f" (NO_PROXY rule {entry['policy_rule']})" if entry["policy_rule"] else ""
        lines.append(f"{entry['url']}: the policy means {entry['expected']}{rule}")
        for tool, got in entry["tools"].items():
            seen = got["observed"]
            label = f"{tool} {got.get('version') or '?'}"
            creds = (
                f", sent ${{{'}, ${'.join(seen['credentials'])}}}" if seen["credentials"] else ""
            )
            if got["verdict"] == OK:
                lines.append(f"  {label:<{width}}  {seen['route']:<6}  ok{creds}")
                continue
            if got["verdict"] == NO_CONNECTION:
                why = seen["stderr"].splitlines()[-1] if seen["stderr"] else f"exit {seen['exit']}"
                lines.append(f"  {label:<{width}}  none    MISMATCH: made no connection ({why})")
                continue
            predicted = (
                "as envgen explain predicted"
                if got["decision"] == seen["route"]
                else f"envgen explain predicted {got['decision']}, so its model of this {tool} "
                "version is wrong: please report it"
            )
            why = got["reason"].rstrip(".")
            lines.append(
                f"  {label:<{width}}  {seen['route']:<6}  MISMATCH: went {seen['route']}, the "
                f"policy means {entry['expected']} ({predicted}: {why}){creds}"
            )
    for skipped in report["skipped"]:
        lines.append(f"skipped: {skipped['tool']}: {skipped['why']}")
    return lines
