"""Target `retry`: a POSIX sh script that runs a command again when it fails.

CI systems retry infrastructure failures, not a script step whose `docker pull`, `go mod
download` or upload hit a reset: `sh .envgen/retry docker buildx build ...` does. The script
uses network.retries (attempts = retries + 1, or `--attempts N`) and network.backoff (waits from
min, multiplied by factor, capped at max, each plus up to a quarter at random so that parallel
jobs do not retry in step), prints each failed attempt and its exit code to stderr, and exits
with the command's last code. It runs in dash, bash and busybox ash without Python: randomness
comes from /dev/urandom through od (dash has no $RANDOM), arithmetic is integer milliseconds,
and the arguments reach the command untouched ("$@", no eval).
"""

from __future__ import annotations

import math

from envgen.generators.base import RenderContext
from envgen.schema.policy import Policy

NAME = "retry"
DEFAULT_PATH = ".envgen/retry"
SUMMARY = "POSIX sh retry wrapper: network.retries and backoff with jitter, for any job command"
MODE = 0o755

_SCRIPT = r"""
set -u
attempts={attempts}
delay_ms={min_ms}
max_ms={max_ms}
factor_pct={factor_pct}
if [ "${{1-}}" = "--attempts" ]; then
  case "${{2-}}" in
    '' | *[!0-9]* | 0) echo "retry: --attempts takes a whole number of at least 1" >&2; exit 2 ;;
  esac
  attempts=$2
  shift 2
fi
if [ "${{1-}}" = "--" ]; then
  shift
fi
if [ "$#" -eq 0 ]; then
  echo "usage: retry [--attempts N] [--] COMMAND [ARGUMENT...]" >&2
  exit 2
fi
attempt=1
while :; do
  "$@"
  code=$?
  if [ "$code" -eq 0 ]; then
    exit 0
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    echo "retry: attempt $attempt/$attempts: '$1' exited with $code; giving up" >&2
    exit "$code"
  fi
  random=$(od -An -N2 -tu2 /dev/urandom 2>/dev/null | tr -d ' ')
  wait_ms=$((delay_ms + ${{random:-0}} % (delay_ms / 4 + 1)))
  seconds=$((wait_ms / 1000)).$(printf '%03d' $((wait_ms % 1000)))
  echo "retry: attempt $attempt/$attempts: '$1' exited with $code; next in ${{seconds}}s" >&2
  sleep "$seconds" 2>/dev/null || sleep $((wait_ms / 1000 + 1))
  attempt=$((attempt + 1))
  delay_ms=$((delay_ms * factor_pct / 100))
  if [ "$delay_ms" -gt "$max_ms" ]; then
    delay_ms=$max_ms
  fi
done
"""


def render(policy: Policy, ctx: RenderContext) -> str:
    """Render the script with the policy's numbers."""
    net = policy.network
    header = [
        "#!/bin/sh",
        ctx.marker("#"),
        f'# Use: sh "{ctx.path}" [--attempts N] [--] COMMAND [ARGUMENT...]',
        '#   (the CI targets export its path as $ENVGEN_RETRY: sh "$ENVGEN_RETRY" go mod download)',
        f"# {net.retries + 1} attempts (network.retries {net.retries}); waits from "
        f"{net.backoff.min} ms, times {net.backoff.factor:g}, at most {net.backoff.max} ms, "
        "plus up to a quarter at random.",
    ]
    body = _SCRIPT.format(
        attempts=net.retries + 1,
        min_ms=net.backoff.min,
        max_ms=net.backoff.max,
        factor_pct=math.ceil(net.backoff.factor * 100),
    )
    return "\n".join(header) + body
