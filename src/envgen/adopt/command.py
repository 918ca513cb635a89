"""`envgen init`: detect, adopt, show what rendering would change, then write envgen.yaml.

Nothing is written when an existing file holds a literal secret (exit 2) or a policy exists
(exit 3, unless --force); every setting that cannot be carried over is listed, and every
difference `envgen render --force` would make to an adopted file is printed first.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from envgen.adopt import daemon, gitlab, goenv, npmrc, pipconf
from envgen.adopt.adoption import Adoption, Place, dotted
from envgen.adopt.detect import detect
from envgen.adopt.diff import KEYS, changes
from envgen.adopt.starter import policy_text
from envgen.console import Console
from envgen.diagnostics import Diagnostic, Position, Severity, display_path, error, note
from envgen.errors import EXIT_OK, PolicyError, RefusedError
from envgen.loader import POLICY_FILENAME
from envgen.readfile import ReadRefusedError, read_regular
from envgen.schema.model import ValidationError

#: (file, its reader, the target that renders it): the files `--from-existing` reads.
READERS: tuple[tuple[str, Callable[[str, str, Adoption], None], str | None], ...] = (
    (".npmrc", npmrc.read_npmrc, "npm"),
    ("pip.conf", pipconf.read_pip_conf, "pip"),
    ("go.env", goenv.read_goenv, "go"),
    ("daemon.json", daemon.read_daemon_json, "docker"),
    ("docker/daemon.json", daemon.read_daemon_json, "docker"),
    (".gitlab-ci.yml", gitlab.read_gitlab_ci, None),
)

MAX_INPUT = 1_000_000


def user_goenv() -> Path:
    """Where `go env -w` writes: $GOENV, else os.UserConfigDir()/go/env (cmd/go cfg.EnvFile;
    on Linux $XDG_CONFIG_HOME or ~/.config)."""
    if os.environ.get("GOENV") not in (None, "", "off"):
        return Path(os.environ["GOENV"])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "go" / "env"


def _listing(root: Path) -> list[str]:
    names = [p.name for p in root.iterdir()]
    workflows = root / ".github" / "workflows"
    if workflows.is_dir():
        names += [f".github/workflows/{p.name}" for p in workflows.iterdir()]
    return names


def _position(place: Place) -> Position:
    return Position(place.path, place.line, 1 if place.line else 0)


def _check(adoption: Adoption, text: str) -> None:
    """Validate the adopted values; an error points at the file the value came from."""
    from ruamel.yaml import YAML

    from envgen.generators import registry
    from envgen.schema.checks import check_policy
    from envgen.schema.policy import Policy

    data = YAML(typ="safe", pure=True).load(text)
    try:
        model = Policy.model_validate(data)
    except ValidationError as exc:
        errors = [_adopted_error(adoption, e["loc"], e["msg"]) for e in exc.errors()]
        raise PolicyError(errors) from None
    errors = [
        _adopted_error(adoption, f.loc or (), f.message)
        for f in check_policy(model, set(registry()))
        if f.severity is Severity.ERROR
    ]
    if errors:
        raise PolicyError(errors)


def _adopted_error(adoption: Adoption, loc: tuple[object, ...], message: str) -> Diagnostic:
    parts = tuple(p for p in loc if isinstance(p, str | int))
    for n in range(len(parts), 0, -1):
        place = adoption.origin.get(parts[:n])
        if place is not None:
            return error(
                f"{dotted(parts)}: {message} (read from here; fix it, or run init "
                "--no-from-existing and write the policy by hand)",
                _position(place),
            )
    return error(f"{dotted(parts)}: {message}")


def cmd_init(
    *, con: Console, policy: str | None, from_existing: bool | None = None, force: bool = False
) -> int:
    """Write a starter envgen.yaml for the repository here (see the module docstring)."""
    target = Path(policy) if policy is not None else Path.cwd() / POLICY_FILENAME
    if target.is_dir():
        target = target / POLICY_FILENAME
    root = target.parent
    if target.exists() and not force:
        raise RefusedError(
            [error(f"{display_path(target)} exists: `envgen init --force` replaces it")]
        )
    detected = detect(_listing(root))
    found = [(name, read, t) for name, read, t in READERS if (root / name).is_file()]
    user_go = "go" in detected.targets and not (root / "go.env").exists() and user_goenv().is_file()
    adopt = from_existing if from_existing is not None else bool(found) or user_go
    adoption = Adoption()
    texts: dict[str, str] = {}
    if adopt:
        for name, read, target_name in found:
            try:
                texts[name] = read_regular(root / name, MAX_INPUT).decode("utf-8", "replace")
            except (OSError, ReadRefusedError) as exc:
                con.diagnostic(note(f"{name} not read: {exc}"))
                continue
            read(texts[name], name, adoption)
            if target_name is not None:
                detected.targets[target_name] = name
    if adopt and user_go:
        _adopt_user_goenv(con, adoption)
    if adoption.refused:
        raise PolicyError([error(m, _position(p)) for p, m in adoption.refused])
    for place, message in adoption.cannot:
        con.diagnostic(note(f"not carried over: {message}", _position(place)))
    text = policy_text(detected, adoption)
    _check(adoption, text)
    _show_changes(con, text, texts, detected.targets)
    tmp = root / f".envgen-init-{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(target)
    con.line(f"wrote {display_path(target)} ({len(detected.targets)} target(s))")
    con.line("next: envgen validate, envgen explain, then envgen render"
             + (" --force (it replaces the adopted files)" if texts else ""))  # fmt: skip
    return EXIT_OK


def _adopt_user_goenv(con: Console, adoption: Adoption) -> None:
    """The developer's `go env -w` settings, when the repository has no go.env of its own."""
    path = user_goenv()
    try:
        text = read_regular(path, MAX_INPUT).decode("utf-8", "replace")
    except (OSError, ReadRefusedError):
        return
    shown = display_path(path)
    goenv.read_goenv(text, shown, adoption)
    con.diagnostic(note(f"init: read your `go env -w` settings from {shown} into the policy"))


def _show_changes(con: Console, text: str, texts: dict[str, str], targets: dict[str, str]) -> None:
    """Print what `envgen render --force` would change in each adopted file."""
    from envgen.generators import load
    from envgen.generators.base import RenderContext
    from envgen.schema.policy import Policy

    if not any(t in KEYS and path in texts for t, path in targets.items()):
        return
    from ruamel.yaml import YAML

    model = Policy.model_validate(YAML(typ="safe", pure=True).load(text))
    for name, path in targets.items():
        if name not in KEYS or path not in texts:
            continue
        ctx = RenderContext(target=name, policy_name=POLICY_FILENAME, path=path)
        rendered = load(name).render(model, ctx)
        lines = changes(name, texts[path], rendered)
        if lines:
            con.line(f"{path}: `envgen render --force` would change, as {name} reads it:")
            for line in lines:
                con.line(f"  {line}")
        else:
            con.line(f"{path}: `envgen render --force` keeps every setting {name} reads")
