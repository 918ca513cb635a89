"""Fault injection for tests/test_killpoints.py: SIGKILL envgen at its Nth file-system change.

Loaded only by the test's subprocesses (their PYTHONPATH starts with this directory). Every
call that changes the file system (open for writing, write, fsync, chmod, link, rename,
replace, unlink, mkdir, rmdir) is a kill point: with ENVGEN_KILL_AT=N the process kills
itself, uncatchably, just before the Nth one. With ENVGEN_KILL_COUNT=FILE it instead writes
the number of kill points it passed to FILE at exit, so that the test can choose among them.
"""

from __future__ import annotations

import atexit
import functools
import io
import os
import signal
from typing import Any

_AT = int(os.environ.get("ENVGEN_KILL_AT", "0"))
_COUNT_FILE = os.environ.get("ENVGEN_KILL_COUNT")
_seen = [0]
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _point() -> None:
    _seen[0] += 1
    if _seen[0] == _AT:
        os.kill(os.getpid(), signal.SIGKILL)


def _wrap(module: Any, name: str, *, only_writes: bool = False) -> None:
    real = getattr(module, name)

    @functools.wraps(real)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not only_writes or (len(args) > 1 and args[1] & _WRITE_FLAGS):
            _point()
        return real(*args, **kwargs)

    setattr(module, name, wrapper)


for _name in ("fsync", "chmod", "link", "rename", "replace", "unlink", "mkdir", "rmdir", "write"):
    _wrap(os, _name)
_wrap(os, "open", only_writes=True)

_real_fdopen = os.fdopen


class _Writer(io.BufferedWriter):
    """A file object whose every write is a kill point, written in two halves."""

    def write(self, data: Any) -> int:
        half = len(data) // 2
        _point()
        super().write(data[:half])
        super().flush()
        _point()
        return super().write(data[half:]) + half


def _fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
    if "w" in mode and "b" in mode:
        return _Writer(io.FileIO(fd, "w"))
    return _real_fdopen(fd, mode, *args, **kwargs)


os.fdopen = _fdopen

if _COUNT_FILE:

    @atexit.register
    def _report() -> None:
        with open(_COUNT_FILE, "w", encoding="utf-8") as out:  # noqa: PTH123 - before os wraps
            out.write(str(_seen[0]))
