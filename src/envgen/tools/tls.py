"""CA trust for the tools that read it from the environment: OpenSSL-based tools and Go programs
(SSL_CERT_FILE), requests (REQUESTS_CA_BUNDLE), uv (SSL_CERT_FILE), curl (CURL_CA_BUNDLE).

Every one of these REPLACES the tool's trust store with the file (only NODE_EXTRA_CA_CERTS,
`envgen.tools.node`, adds). Pointed at network.ca_file alone, they would trust only the
corporate CA and fail on every public registry, so `envgen env` points them at ca_file with a
warning naming them, and the CI targets point them at a bundle built at job time from the
image's system roots plus ca_file (`envgen.ci.jobtime.ca_bundle_script`).
"""

from __future__ import annotations

from envgen.findings import warning
from envgen.schema.policy import Policy
from envgen.tools import git
from envgen.tools.base import Setting, Tool, ToolSettings, Topic, env_of

#: Variables whose file REPLACES a tool's CA list, with the tools that read each.
REPLACING = {
    "SSL_CERT_FILE": "OpenSSL-based tools, Go programs, uv",
    "REQUESTS_CA_BUNDLE": "requests",
    "CURL_CA_BUNDLE": "curl",
    "GIT_SSL_CAINFO": "git",
}

#: The explain rows whose tool reads one of those variables (Python's ssl and Ruby's OpenSSL load
#: SSL_CERT_FILE as their default verify file; pip has its own PIP_CERT, npm its cafile).
READ_BY = {
    "python-urllib": "SSL_CERT_FILE",
    "ruby": "SSL_CERT_FILE",
    "go": "SSL_CERT_FILE",
    "python-requests": "REQUESTS_CA_BUNDLE",
    "curl": "CURL_CA_BUNDLE",
    "git": "GIT_SSL_CAINFO",
}

#: Variables that, set in a user's environment, win over a CA setting envgen renders into a file.
OVERRIDES = {
    "GIT_SSL_CAINFO": f"git's {git.CA_KEY}",
    "PIP_CERT": "pip's cert",
    "npm_config_cafile": "npm's cafile",
    "NPM_CONFIG_CAFILE": "npm's cafile",
}

#: What the CI job-time step points at its combined bundle: the variables above, and the
#: environment settings that win over pip's, git's and npm's own CA settings.
CI_BUNDLE_VARIABLES = (*REPLACING, "PIP_CERT", "npm_config_cafile")


def settings(policy: Policy) -> ToolSettings:
    """The environment's CA variables, pointed at network.ca_file."""
    ca_file = policy.network.ca_file
    if ca_file is None:
        return ToolSettings("tls")
    out = [
        Setting(name, ca_file, ("network", "ca_file"), in_file=False, env=name, topic=Topic.CA)
        for name in REPLACING
    ]
    tools = "; ".join(f"{name}: {who}" for name, who in REPLACING.items())
    found = warning(
        f"outside CI these variables make their tools trust ONLY {ca_file} ({tools}); "
        "the file must also hold the public roots, or use a CI target (it builds a bundle of "
        "the system roots and this file at job time)",
        ("network", "ca_file"),
        code="EG204",
        subject=ca_file,
    )
    return ToolSettings("tls", tuple(out), env_of(out), findings=(found,))


TOOL = Tool("tls", settings)
