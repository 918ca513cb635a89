"""Read a file envgen did not write, safely: a regular file, of bounded size, never blocking.

A policy, an `extends` base, the manifest and an existing output are all files a commit can
replace with something hostile: a FIFO (reading blocks forever), `/dev/zero` or a huge file
(reading never ends), a directory, a symbolic link loop. Every such read goes through
`read_regular`, which opens without following a FIFO's wait (O_NONBLOCK), checks with fstat
that it is a regular file no larger than the limit, and reads at most limit + 1 bytes.
Standard library only: the `check` fast path uses it.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # typing is not imported: the check fast path reads files with this
if TYPE_CHECKING:
    from pathlib import Path


class ReadRefusedError(Exception):
    """The file cannot or may not be read; `reason` says why, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file at `path`, if it holds at most `limit` bytes."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ReadRefusedError(_why(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise ReadRefusedError("is a directory")
            raise ReadRefusedError("is not a regular file (a device, pipe or socket is never read)")
        if info.st_size > limit:
            raise ReadRefusedError(f"is larger than {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise ReadRefusedError(f"is larger than {limit} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise ReadRefusedError(_why(exc)) from None
    finally:
        os.close(fd)


def _why(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied)"
    if exc.errno == errno.EISDIR:
        return "is a directory"
    return f"cannot be read ({exc.strerror or type(exc).__name__})"
