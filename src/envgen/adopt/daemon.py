"""Docker's daemon.json into policy values: registry mirrors, insecure registries, proxies and
the transfer tuning keys; the rest is listed."""

from __future__ import annotations

import json
from typing import Any

from envgen.adopt.adoption import Adoption, Place, line_of, no_proxy
from envgen.tools.docker import INSECURE, MIRRORS, TUNING


def _proxies(value: dict[str, Any], place: Place, adoption: Adoption) -> None:
    for name, loc in (("http-proxy", "http"), ("https-proxy", "https")):
        if isinstance(value.get(name), str):
            adoption.put(("proxy", loc), value[name], place)
    if isinstance(value.get("no-proxy"), str):
        no_proxy(adoption, place, value["no-proxy"])


def read_daemon_json(text: str, path: str, adoption: Adoption) -> None:
    """Adopt daemon.json."""
    adoption.files.append(path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        adoption.lose(Place(path, exc.lineno), "dockerd cannot read this file either")
        return
    if not isinstance(doc, dict):
        adoption.lose(Place(path, 1), "not a JSON object")
        return
    for key, value in doc.items():
        place = Place(path, line_of(text, f'"{key}"'))
        if key in (MIRRORS, INSECURE) and isinstance(value, list):
            name = "mirrors" if key == MIRRORS else "insecure"
            adoption.put(("registries", "docker", name), value, place)
        elif key in TUNING and isinstance(value, int):
            adoption.put(("docker", key.replace("-", "_")), value, place)
        elif key == "proxies" and isinstance(value, dict):
            _proxies(value, place, adoption)
        else:
            adoption.lose(place, f"daemon.json key {key!r} has no policy field")
