"""The end of each command's --help: examples, then what each exit code means.

tests/test_cli.py parses every example with the real parser and checks each page lists its
exit codes, so a renamed option cannot leave a stale example behind.
"""

from __future__ import annotations

#: The end of each command's --help: examples, then what each exit code means.
EPILOGS = {
    "validate": """examples:
  envgen validate                      # the policy here or in a parent directory
  envgen validate -p infra/envgen.yaml --all-warnings
  envgen validate --format github      # annotations on the policy's lines in a workflow

exit codes:
  0  the policy is valid (warnings do not change this)
  2  the policy is invalid: each error is PATH:LINE:COL: error: MESSAGE
  3  an output path is refused (outside the policy's directory, a link, a device)
  70 a bug in envgen: rerun with --traceback and report it""",
    "render": """examples:
  envgen render                        # write every target, then the manifest
  envgen render --only npm pip         # just these targets
  envgen render --dry-run --diff       # what would change, as unified diffs

exit codes:
  0  written (or nothing to change)
  2  the policy is invalid; nothing is written
  3  a path is refused, or a file envgen did not write is in the way (--force); nothing is
     written
  70 a bug in envgen: rerun with --traceback and report it""",
    "check": """examples:
  envgen check                         # in pre-commit or CI: fail when a file drifted
  envgen check --format gitlab > gl-code-quality-report.json

exit codes:
  0  every generated file is what the policy renders
  1  a file drifted, is missing or is no longer rendered: the diff and the fix are printed
  2  the policy is invalid
  70 a bug in envgen: rerun with --traceback and report it""",
    "explain": """examples:
  envgen explain                       # every tool: proxy, NO_PROXY, settings, losses
  envgen explain https://10.1.2.3/     # each tool's decision for one URL
  envgen explain --no-proxy '.corp.example,10.0.0.0/8' http://10.0.0.1/
  envgen explain --tool curl=7.85 --tool pip=23.2 http://10.1.2.3/

exit codes:
  0  explained
  2  the policy (or the URL, or the --no-proxy value) is invalid""",
    "doctor": """examples:
  envgen doctor                        # every tool found x the policy's registries and rules
  envgen doctor https://npm.corp.example/ --tool curl npm
  envgen doctor --format json > doctor.json

Runs each installed tool (curl, wget, git, pip, python-requests, npm, node, go) with the rendered
settings, inside a private user + network + mount namespace where the policy's hosts resolve
to loopback fakes: nothing leaves the machine, no real secret is read.

exit codes:
  0  every tool went where the policy means (direct, or through the proxy)
  1  a tool went elsewhere, or made no connection: the line says whether explain predicted it
  2  nothing could be checked (no user namespaces, not Linux, no tool found), or the policy
     or a URL is invalid""",
    "env": """examples:
  eval "$(envgen env)"                 # sh, bash or zsh
  envgen env --format fish | source
  envgen env --all-pointers > .envrc   # also point pip, go, npm, curl, docker at the files

exit codes:
  0  printed
  2  the policy is invalid""",
    "init": """examples:
  envgen init                          # detect ecosystems, adopt existing configs
  envgen init --no-from-existing       # a starter policy only

exit codes:
  0  envgen.yaml written
  2  an existing file holds a literal secret, or an adopted value is invalid; nothing written
  3  envgen.yaml exists (--force replaces it)""",
    "new": """examples:
  envgen new --list
  envgen new gitlab-go --no-input --extra-context project_name=payments
  envgen new ./my-template -o ~/src        # a cookiecutter template of your own

exit codes:
  0  created and rendered
  2  an unknown template, a bad --extra-context, or a template that failed
  3  the directory to create exists""",
    "schema": """examples:
  envgen schema > envgen.schema.json   # for editors: yaml-language-server, check-jsonschema

exit codes:
  0  printed""",
    "targets": """examples:
  envgen targets

exit codes:
  0  printed""",
}
