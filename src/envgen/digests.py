"""SHA-256 in hex, without loading OpenSSL where the interpreter has its own SHA-256.

`hashlib` loads OpenSSL's libcrypto when it is imported (about 3 ms on the reference machine,
on every command); CPython's built-in module (`_sha256` up to 3.11, `_sha2` from 3.12) gives
the same digest. Standard library only: the console script's fast road imports this module.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds the fast road does not have
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def _sha256_factory() -> Callable[[bytes], Any]:
    for module, name in (("_sha2", "sha256"), ("_sha256", "sha256")):
        try:
            return getattr(__import__(module), name)  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            continue
    from hashlib import sha256  # pragma: no cover - an interpreter without the built-in module

    return sha256  # pragma: no cover


_sha256 = _sha256_factory()


def hexdigest(data: bytes) -> str:
    """The SHA-256 of `data` in hex."""
    return str(_sha256(data).hexdigest())
