"""Inside the namespace: loopback up, private name resolution, the fakes, then each tool run.

`envgen doctor` starts ``unshare --user --map-root-user --net --mount -- python -m
envgen.doctor.sandbox SPEC`` (command.py). In that private user, network and mount namespace
this module:

1. brings the namespace's own loopback up (its only interface: nothing can leave the machine)
   and gives it each IP address a URL names (`ip addr add`, when iproute2 is there);
2. bind-mounts private files over /etc/hosts (every policy host -> 127.0.0.1 and ::1),
   /etc/nsswitch.conf (``hosts: files``) and /etc/resolv.conf (a nameserver on the loopback,
   where nothing answers), and masks the host's resolver sockets (nscd, systemd-resolved) with
   empty files, so no name lookup reaches the system's resolver, DNS or hosts file;
3. starts the recording proxy and origins (recorder.py) on the spec's ports;
4. runs each tool with its environment, stops it at its first connection (the route is decided
   there; a tool's own retries would only repeat it) or after its timeout, and prints what each
   run did as one JSON object on stdout.

Everything here happens in the namespace and is gone when the process ends. Standard library
only.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from envgen.doctor.recorder import Recorder

_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1
#: The host's resolver sockets: nscd's, and systemd-resolved's varlink and stub directory.
RESOLVER_SOCKETS = ("/run/nscd/socket", "/var/run/nscd/socket", "/run/systemd/resolve")
SETTLE_SECONDS = 0.3  # after a first connection, for the rest of its head to be recorded


class SetupError(Exception):
    """The namespace could not be made private; nothing is run."""


def loopback_up() -> None:
    """Set IFF_UP on `lo` (the ioctl `ip link set lo up` makes)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14s", b"lo", 0, b"")
        flags = struct.unpack("16sH14s", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH14s", b"lo", flags | _IFF_UP, b""))


def add_addresses(addresses: list[str]) -> list[str]:
    """Give the loopback each address; return those it could not get (no `ip`, or refused)."""
    ip = shutil.which("ip")
    missing = []
    for address in addresses:
        prefix = "/128" if ":" in address else "/32"
        if (
            ip is None
            or subprocess.run(
                [ip, "addr", "add", address + prefix, "dev", "lo"], capture_output=True, check=False
            ).returncode
        ):
            missing.append(address)
    return missing


def _bind(source: Path, target: str) -> None:
    done = subprocess.run(
        ["mount", "--bind", str(source), target], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SetupError(f"mount --bind over {target} failed: {done.stderr.strip()}")


def private_resolution(work: Path, hosts: list[str]) -> None:
    """Private hosts, nsswitch and resolv.conf; the host's resolver sockets masked."""
    files = work / "etc"
    files.mkdir(parents=True, exist_ok=True)
    lines = ["127.0.0.1 localhost", "::1 localhost"]
    lines += [f"127.0.0.1 {h}" for h in hosts] + [f"::1 {h}" for h in hosts]
    (files / "hosts").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (files / "nsswitch.conf").write_text("hosts: files\n", encoding="utf-8")
    (files / "resolv.conf").write_text(
        "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n", encoding="utf-8"
    )
    for name in ("hosts", "nsswitch.conf", "resolv.conf"):
        if not os.path.exists(f"/etc/{name}"):  # noqa: PTH110 - the target may be a dangling link
            raise SetupError(f"/etc/{name} does not exist: nothing to mask it with")
        _bind(files / name, f"/etc/{name}")
    empty_file, empty_dir = files / "empty", files / "empty.d"
    empty_file.write_bytes(b"")
    empty_dir.mkdir(exist_ok=True)
    for target in RESOLVER_SOCKETS:
        if os.path.lexists(target):
            _bind(empty_dir if Path(target).is_dir() else empty_file, target)
    for host in hosts:
        found = {info[4][0] for info in socket.getaddrinfo(host, 80, proto=socket.IPPROTO_TCP)}
        if not found <= {"127.0.0.1", "::1"}:
            raise SetupError(f"{host} still resolves to {sorted(found)} inside the namespace")


def run_one(recorder: Recorder, run: dict[str, Any]) -> dict[str, Any]:
    """Run one tool until its first connection, its exit or its timeout; what it did."""
    recorder.take()
    stderr_path = Path(run["cwd"]) / ".stderr"
    started = time.monotonic()
    with stderr_path.open("wb") as err:
        proc = subprocess.Popen(
            run["argv"],
            env=run["env"],
            cwd=run["cwd"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        first: float | None = None
        killed = False
        while True:
            now = time.monotonic()
            if first is None and recorder.events:
                first = now
            if first is not None and now - first >= SETTLE_SECONDS:
                killed = proc.poll() is None
                break
            if proc.poll() is not None:
                time.sleep(SETTLE_SECONDS)  # a connection in flight still lands
                break
            if now - started > run["timeout"]:
                killed = True
                break
            time.sleep(0.02)
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        code = proc.wait()
    stderr = stderr_path.read_bytes()[-2000:].decode("utf-8", "replace")
    return {
        "id": run["id"],
        "events": [e.as_dict() for e in recorder.take()],
        "exit": None if killed else code,
        "stderr": stderr,
        "seconds": round(time.monotonic() - started, 2),
    }


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    work = Path(spec["work"])
    out: dict[str, Any] = {"setup": {"ok": True, "missing_addresses": []}, "runs": []}
    try:
        loopback_up()
        out["setup"]["missing_addresses"] = add_addresses(spec["addresses"])
        private_resolution(work, spec["hosts"])
    except (OSError, SetupError) as exc:
        out["setup"] = {"ok": False, "why": str(exc)}
        print(json.dumps(out))
        return 0
    recorder = Recorder()
    try:
        for listener in spec["listeners"]:
            recorder.listen(listener["listener"], listener["port"])
        out["runs"] = [run_one(recorder, run) for run in spec["runs"]]
    finally:
        recorder.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
