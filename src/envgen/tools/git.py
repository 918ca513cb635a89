"""git: what envgen gives it. git takes proxies from the environment (through libcurl, as curl
reads them: `envgen.clients.curl`); its own settings travel as git config.

`http.version HTTP/1.1` stops the HTTP/2 stream resets that break large fetches through some
proxies (git-config(1) http.version). In the environment, git config is passed as
GIT_CONFIG_COUNT/GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n (git >= 2.31), which ADDS to the user's
configuration; a CI job may run `git config --global` instead.
"""

from __future__ import annotations

from shlex import quote

from envgen.schema.policy import Policy
from envgen.tools.base import EnvVar, Setting, Tool, ToolSettings


def settings(policy: Policy) -> ToolSettings:
    """http.version when network.http_version is "1.1"; passed through GIT_CONFIG_*."""
    out: list[Setting] = []
    if policy.network.http_version == "1.1":
        out.append(
            Setting(
                "http.version",
                "HTTP/1.1",
                ("network", "http_version"),
                in_file=False,
                via="GIT_CONFIG_* from envgen env",
            )
        )
    return ToolSettings("git", tuple(out), config_env(out))


def config_env(settings: list[Setting]) -> tuple[EnvVar, ...]:
    """GIT_CONFIG_COUNT and one GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n pair per setting."""
    if not settings:
        return ()
    out = [EnvVar("GIT_CONFIG_COUNT", str(len(settings)), settings[0].loc)]
    for i, setting in enumerate(settings):
        out.append(EnvVar(f"GIT_CONFIG_KEY_{i}", setting.key, setting.loc))
        out.append(EnvVar(f"GIT_CONFIG_VALUE_{i}", setting.text, setting.loc))
    return tuple(out)


def global_config_commands(git: ToolSettings) -> list[str]:
    """`git config --global KEY VALUE` for each setting (a CI job's own home directory)."""
    return [f"git config --global {quote(s.key)} {quote(s.text)}" for s in git.settings]


TOOL = Tool("git", settings, shown_in=("git",))
