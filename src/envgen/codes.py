"""Warning codes: one stable code per KIND of warning (docs/warnings.md, contract 4.6).

A code never changes meaning once released, so that a team can accept a known warning in the
policy (`accept: [{code: EG201, rule: 10.0.0.0/8, reason: ...}]`) and a later envgen still
recognises it. Standard library only: the code table is read by the policy schema (to refuse an
unknown code), the CLI and the docs test.
"""

from __future__ import annotations

#: code -> what the kind means (the title docs/warnings.md shows for it).
CODES: dict[str, str] = {
    "EG101": "a verification is switched off (module checksums)",
    "EG102": "a setting has no effect as written",
    "EG103": "private modules would be asked of public services",
    "EG201": "a NO_PROXY rule some tools cannot read (they use the proxy for it)",
    "EG202": "a NO_PROXY entry some tools read too widely (they bypass the proxy for hosts no "
    "rule covers)",
    "EG203": "a tool may still speak HTTP/2 although network.http_version is 1.1",
    "EG204": "a CA file replaces a tool's own CA list",
    "EG205": "a credential the target's file cannot carry (it reaches the tool at job time)",
    "EG206": "registry mirrors apply to Docker Hub only",
    "EG207": "a value the target's format cannot write",
    "EG208": "a value rounded to what the target takes",
    "EG209": "a target that has nothing to write",
    "EG210": "a value envgen chose because the policy gives none",
    "EG211": "a package index reached over plain HTTP (pip needs trusted-host for it)",
    "EG212": "a retry:when value the GitLab version no longer reports for new jobs",
    "EG301": "an accept entry that matches no warning",
    "EG401": "envgen's manifest is unreadable",
    "EG402": "a file envgen no longer renders was left in place",
}

#: Kinds whose warnings about one subject are merged into one line naming every tool.
MERGED = {"EG204"}
