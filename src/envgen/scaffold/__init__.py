"""Project templates for `envgen new` (cookiecutter), shipped inside the package.

Each directory is a cookiecutter template: `cookiecutter.json` and one
`{{cookiecutter.project_slug}}` tree holding a policy, a README saying how to change it, the
pre-commit hook and the CI wiring. `envgen new` renders the policy in the result, so it passes
`envgen check` at once.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent

#: Template name -> one line saying what it starts.
TEMPLATES = {
    "default": "a policy with a proxy and npm/pip registries, rendered, and the pre-commit hook",
    "gitlab-go": "a Go module built on GitLab CI: module proxies, private modules, caches",
    "github-node-python": "Node and Python on GitHub Actions: the composite action and the "
    "drift-check workflow",
}


def path_of(name: str) -> Path:
    """The directory of a shipped template."""
    return HERE / name
