"""For tests/test_security.py: any attempt to resolve a name or open a socket fails loudly.

Loaded only by that test's subprocesses (their PYTHONPATH starts with this directory).
"""

from __future__ import annotations

import socket
import sys
from typing import Any


def _refuse(*_args: Any, **_kwargs: Any) -> Any:
    sys.stderr.write("NETWORK ACCESS ATTEMPTED\n")
    raise OSError("network access is not allowed in this test")


socket.getaddrinfo = _refuse
socket.create_connection = _refuse
socket.socket.connect = _refuse  # type: ignore[method-assign]
socket.socket.connect_ex = _refuse  # type: ignore[method-assign]
socket.socket.sendto = _refuse  # type: ignore[method-assign]
