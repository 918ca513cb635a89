"""The names of the files envgen keeps for its outputs: the manifest, the record, temporaries.

Standard library only, and not even `re`: the `check` fast path (envgen.workspace.record)
reads them before anything else is imported.
"""

from __future__ import annotations

#: The committed manifest beside the outputs (envgen.workspace.manifest).
MANIFEST_NAME = ".envgen-manifest.json"
#: envgen's own record, in its state directory (envgen.workspace.record).
STATE_NAME = "state.json"
#: A render stages `<name>` as `.<name>.<8 random characters>.tmp` beside it; tempfile.mkstemp
#: draws those characters from [a-z0-9_] and the keep-links use 8 hex digits, both within it.
TEMP_SUFFIX = ".tmp"
_TEMP_RANDOM = 8
_TEMP_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def is_temp_of(entry: str, name: str) -> bool:
    """Whether the directory entry `entry` has the shape of a temporary file staged for `name`."""
    prefix = f".{name}."
    if len(entry) != len(prefix) + _TEMP_RANDOM + len(TEMP_SUFFIX):
        return False
    if not entry.startswith(prefix) or not entry.endswith(TEMP_SUFFIX):
        return False
    return all(c in _TEMP_ALPHABET for c in entry[len(prefix) : len(prefix) + _TEMP_RANDOM])
