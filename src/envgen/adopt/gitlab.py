"""The proxy variables at the top of .gitlab-ci.yml into policy values; the rest of the file
stays the team's (the gitlab-ci target is an include beside it)."""

from __future__ import annotations

from envgen.adopt.adoption import Adoption, Place, no_proxy

_PROXY_VARIABLES = {
    "http_proxy": "http",
    "HTTP_PROXY": "http",
    "https_proxy": "https",
    "HTTPS_PROXY": "https",
}


def read_gitlab_ci(text: str, path: str, adoption: Adoption) -> None:
    """Adopt the proxy variables of .gitlab-ci.yml."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        doc = YAML(typ="rt").load(text)
    except YAMLError:
        adoption.lose(Place(path), "GitLab cannot read this file either")
        return
    variables = doc.get("variables") if isinstance(doc, dict) else None
    if not isinstance(variables, dict):
        return
    adoption.files.append(path)
    for name, raw in variables.items():
        value = raw.get("value") if isinstance(raw, dict) else raw
        if not isinstance(value, str):
            continue
        lc = getattr(variables, "lc", None)
        place = Place(path, lc.key(name)[0] + 1 if lc is not None else 0)
        if name in _PROXY_VARIABLES:
            adoption.put(("proxy", _PROXY_VARIABLES[name]), value, place)
        elif name in ("no_proxy", "NO_PROXY"):
            no_proxy(adoption, place, value)
