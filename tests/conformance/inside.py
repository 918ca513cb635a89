"""Run inside the namespace by sandboxed.run_inside: the loopback, private hosts, listeners,
then every run (in parallel), printing each run's stdout and stderr as JSON.

Uses envgen doctor's own sandbox steps (envgen.doctor.sandbox) and recording listeners
(envgen.doctor.recorder): every name of the spec resolves to the loopback, where a listener
answers on each port, so no client's connection or name lookup leaves the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from envgen.doctor.recorder import Recorder
from envgen.doctor.sandbox import add_addresses, loopback_up, private_resolution


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    loopback_up()
    missing = add_addresses(spec["addresses"])
    assert not missing, f"the loopback could not take {missing} (is iproute2 installed?)"
    private_resolution(Path(spec["work"]), spec["hosts"])
    recorder = Recorder()
    recorder.listen("proxy", spec["proxy_port"])
    for port in spec["ports"]:
        recorder.listen("origin", port)

    def one(run: dict[str, Any]) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": spec["work"], **run["env"]}
        done = subprocess.run(
            run["argv"], capture_output=True, text=True, env=env, timeout=60, check=False
        )
        return {"stdout": done.stdout, "stderr": done.stderr}

    with ThreadPoolExecutor(max_workers=spec.get("workers", 4)) as pool:
        answers = list(pool.map(one, spec["runs"]))
    recorder.close()
    print(json.dumps(answers))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
