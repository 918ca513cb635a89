"""The policy v1 model (docs/contract.md section 1): every section, strict and frozen."""

from __future__ import annotations

import json
from typing import Literal

from envgen.digests import hexdigest
from envgen.schema.accept import Accept
from envgen.schema.ci import Caches, Ci, DockerDaemon, Runner
from envgen.schema.fields import Field
from envgen.schema.model import Section
from envgen.schema.network import Network, Proxy
from envgen.schema.registries import Registries
from envgen.schema.types import Text

SCHEMA_ID = "https://envgen.dev/schema/policy-v1.json"


class Policy(Section):
    """An envgen policy: proxies, registries, retries, caches and the files to render."""

    version: Literal[1] = Field(description="Policy format version; only 1 exists.")
    extends: list[Text] = Field(
        default_factory=list,
        description="Base policies merged in order before this file (paths relative to it). "
        "Mappings merge key by key; lists and scalars replace.",
    )
    proxy: Proxy | None = Field(None, description="HTTP(S) proxies and NO_PROXY rules.")
    network: Network = Field(
        default_factory=Network, description="Timeouts, retries, back-off and CA bundle."
    )
    registries: Registries = Field(
        default_factory=Registries, description="Package registries and mirrors."
    )
    caches: Caches | None = Field(None, description="Tool caches kept by CI.")
    docker: DockerDaemon | None = Field(None, description="Docker daemon tuning.")
    ci: Ci | None = Field(None, description="GitLab CI / GitHub Actions job settings.")
    runner: Runner | None = Field(None, description="GitLab Runner settings.")
    accept: list[Accept] = Field(
        default_factory=list,
        description="Warnings the team has accepted, each with its code, the rule it is about "
        "and a reason; an entry that matches no warning is itself a warning (EG301).",
    )
    targets: dict[str, str] = Field(
        default_factory=dict,
        description="Files to render: target name -> path relative to the policy's directory.",
    )

    def digest(self) -> str:
        """A digest of what the policy means (not how it is spelt): comments and key order and
        equivalent spellings ('60s' and '1m') do not change it."""
        # Defaults left out: a field added in a later release, or written out at its default
        # value, does not change what the policy means.
        canonical = json.dumps(self.model_dump(mode="json", exclude_defaults=True), sort_keys=True)
        return hexdigest(canonical.encode())
