"""What envgen gives one tool, stated once: `ToolSettings`, read by every consumer.

A tool module (`envgen.tools.npm`, `.pip`, `.go`, ...) turns a policy into one `ToolSettings`:
the keys of the tool's own config file with the policy location each comes from, the
environment variables that carry the same settings, its NO_PROXY value in its dialect (with
the rules that translation loses), the credentials it gets and how, its cache directories and
lock files, and what its target file should say about itself. The file generators only format
these settings into bytes; `envgen env`, the CI targets, `envgen explain` and `validate`'s
warnings read the same objects, so no consumer can disagree with another about a value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from envgen.findings import Finding
from envgen.noproxy.dialects import Translation
from envgen.secrets import ENV_REF_ANYWHERE
from envgen.sourcemap import Loc

if TYPE_CHECKING:
    from envgen.schema.policy import Policy

Value = str | int | bool | tuple[str, ...]


class Topic(StrEnum):
    """What a setting is for, as `envgen explain` groups a tool's network knobs."""

    NONE = ""
    HTTP = "http"  # HTTP version
    CA = "ca"  # CA trust
    RETRY = "retry"  # retries and back-off
    TIMEOUT = "timeout"  # timeouts and stall detection


class Kind(StrEnum):
    """What a setting is about; `envgen explain` shows each kind in its own place."""

    SETTING = "setting"  # an ordinary setting: explain lists it under "settings"
    PROXY = "proxy"  # a proxy URL the tool reads from its own file
    NO_PROXY = "no_proxy"  # the tool's NO_PROXY value, in its dialect
    CREDENTIAL = "credential"  # a key that carries a ${NAME} credential reference


@dataclass(frozen=True)
class Setting:
    """One setting: the tool's own name for it, its value, and where in the policy it comes from.

    `in_file` says whether the tool's target file carries it; `env` names the environment
    variable that carries the same setting (with `env_value` where the environment needs a
    different spelling, e.g. an index URL with its ${NAME} credential); `unit` and `via` are how
    `envgen explain` shows it ("90000 ms", "HTTP/1.1 (GIT_CONFIG_* from envgen env)");
    `item_locs` are the places of a list value's items.
    """

    key: str
    value: Value
    loc: Loc
    kind: Kind = Kind.SETTING
    in_file: bool = True
    env: str | None = None
    env_value: str | None = None
    unit: str = ""
    via: str = ""
    item_locs: tuple[Loc, ...] = ()
    topic: Topic = Topic.NONE

    def loc_of(self, index: int) -> Loc:
        """Where item `index` of a list value was written (the list's place if unknown)."""
        return self.item_locs[index] if index < len(self.item_locs) else self.loc

    @property
    def text(self) -> str:
        """The value as one string (a list is space-separated, as the tools' variables take it)."""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return " ".join(self.value) if isinstance(self.value, tuple) else str(self.value)

    @property
    def shown(self) -> str:
        """How `envgen explain` shows the value."""
        unit = f" {self.unit}" if self.unit else ""
        via = f" ({self.via})" if self.via else ""
        return f"{self.text}{unit}{via}"


@dataclass(frozen=True)
class EnvVar:
    """One environment variable envgen exports: its value (perhaps with ${NAME} references) and
    the policy location it comes from; `note` is a comment the formats that take one print above
    it (what a replacing pointer hides)."""

    name: str
    value: str
    loc: Loc = ()
    note: str = ""

    @property
    def refs(self) -> tuple[str, ...]:
        """The environment variables the value refers to, in order."""
        return tuple(ENV_REF_ANYWHERE.findall(self.value))


@dataclass(frozen=True)
class Pointer:
    """How a tool is pointed at its target's file (docs/contract.md 4.5, "Finding the files").

    `variable` is set to the file, or with `directory` to the directory holding it (the tool
    then reads `file_name` there, and only a target path ending in that name can be pointed at).
    A pointer either ADDS the file to the person's own configuration (`hides` empty) or
    REPLACES part of it (`hides` says what disappears). `git_config` marks git's include.path,
    which travels as a GIT_CONFIG_KEY_n/VALUE_n pair rather than a variable of its own.
    """

    target: str
    variable: str
    hides: str = ""
    directory: bool = False
    file_name: str = ""
    git_config: bool = False

    @property
    def adds(self) -> bool:
        """Whether the pointer leaves the person's own configuration in place."""
        return not self.hides


@dataclass(frozen=True)
class Credential:
    """A credential reference a tool gets: for which URL or host, and by which route.

    `via` says how it reaches the tool; `route` is the short form used when explaining one
    request ("npm sends ${NPM_TOKEN} to URL (ROUTE)").
    """

    reference: str
    target: str
    via: str
    route: str
    loc: Loc

    def as_dict(self) -> dict[str, str]:
        """The JSON form `envgen explain` prints."""
        return {"reference": self.reference, "for": self.target, "via": self.via}


@dataclass(frozen=True)
class ToolCache:
    """One tool's cache: its directory variables and the lock files that key it.

    `lock_files` holds at most two names (GitLab's cache:key:files limit); GitHub keys the
    cache on them, GitLab on the branch (`envgen.generators.gitlab_ci`).
    """

    tool: str
    dirs: tuple[tuple[str, str], ...]  # (variable, sub-directory under caches.dir)
    lock_files: tuple[str, ...]


@dataclass(frozen=True)
class ToolSettings:
    """Everything envgen gives one tool (see the module docstring)."""

    tool: str
    settings: tuple[Setting, ...] = ()
    env: tuple[EnvVar, ...] = ()
    no_proxy: Translation | None = None
    credentials: tuple[Credential, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def file(self) -> tuple[Setting, ...]:
        """The settings the tool's target file carries, in file order."""
        return tuple(s for s in self.settings if s.in_file)

    def of_kind(self, kind: Kind) -> tuple[Setting, ...]:
        """The settings of one kind, in order."""
        return tuple(s for s in self.settings if s.kind is kind)


@dataclass(frozen=True)
class Tool:
    """A tool module's entry in `envgen.tools.registry.TOOLS`.

    `settings` computes its ToolSettings; `shown_in` are the rows of `envgen explain`
    (`envgen.clients.TOOLS`) that list its settings and credentials; `credentials_for` are the
    rows whose requests carry its credentials (git sends the ~/.netrc entries written for go);
    `needs_target` names the target without which the tool gets none of its settings (curl has
    no environment channel: only the curl target's file reaches it); `pointers` say how the tool
    is pointed at its targets' files.
    """

    name: str
    settings: Callable[[Policy], ToolSettings]
    shown_in: tuple[str, ...] = ()
    credentials_for: tuple[str, ...] = ()
    needs_target: str | None = None
    pointers: tuple[Pointer, ...] = ()


def env_of(settings: Iterable[Setting]) -> tuple[EnvVar, ...]:
    """The variables that carry `settings` in the environment, in the settings' order."""
    return tuple(
        EnvVar(s.env, s.env_value if s.env_value is not None else s.text, s.loc)
        for s in settings
        if s.env is not None
    )


def seconds(ms: int) -> str:
    """A duration in seconds, exactly and briefly (pip and git take seconds)."""
    whole, rest = divmod(ms, 1000)
    return str(whole) if rest == 0 else f"{whole}.{rest:03d}".rstrip("0")


def whole_seconds(ms: int) -> str:
    """A duration in whole seconds, rounded up, at least 1 (git, curl and uv take integers)."""
    return str(max(1, -(-ms // 1000)))


def number(value: float) -> str:
    """A number as the tools write it: '2' for a whole number, '1.5' otherwise."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
