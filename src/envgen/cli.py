"""The `envgen` command line: parse, call one command function, print, return an exit code.

Each verb lives in `envgen.commands` as a plain function taking keyword arguments and a
Console, and returning an exit code (docs/contract.md section 2). Heavy imports happen inside them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from envgen import __version__
from envgen.console import Console, default_console
from envgen.entry import EXIT_BROKEN_PIPE, silence_stdout
from envgen.errors import EnvgenError
from envgen.helptext import EPILOGS

#: The tools `envgen doctor` runs (envgen.doctor.probes.PROBES, kept equal by a test).
DOCTOR_TOOLS = ("curl", "wget", "git", "pip", "python-requests", "npm", "node", "go")

#: The formats of validate, render and check (envgen.reports writes all but text).
REPORT_FORMATS = ("text", "json", "github", "gitlab")

EXIT_BUG = 70  # EX_SOFTWARE: an envgen bug, not a problem with the policy


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "-p",
        "--policy",
        metavar="PATH",
        default=default,
        help="policy file (default: envgen.yaml here or in a parent, up to the git root)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="print errors only",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default=argparse.SUPPRESS if suppress else "auto",
        help="colour output (default: auto)",
    )
    parser.add_argument(
        "--traceback",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="on an internal error (exit 70), print the Python traceback to report",
    )


def _all_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all",
        dest="all_policies",
        action="store_true",
        help="every envgen.yaml below the current directory (.gitignore honoured), in one "
        "process: failures and one summary are printed; the worst exit code wins",
    )


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        dest="report_format",
        choices=REPORT_FORMATS,
        default="text",
        help="text (default); json (one object, docs/output.md); github (workflow-command "
        "annotations on the policy's lines); gitlab (a Code Quality report)",
    )


def _all_tools(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all-tools",
        action="store_true",
        help="warn about NO_PROXY losses of every tool envgen models, not only the tools the "
        "policy's targets feed",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="envgen",
        description="Render one network/registry policy into the config files each tool reads.",
    )
    parser.add_argument("--version", action="version", version=f"envgen {__version__}")
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EPILOGS[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _common(p, suppress=True)
        return p

    validate = add("validate", "load, merge and validate the policy; print warnings")
    _report_options(validate)
    _all_option(validate)
    validate.add_argument(
        "--all-warnings",
        action="store_true",
        help="also print the warnings the policy's `accept:` entries accept, marked accepted",
    )
    _all_tools(validate)
    render = add("render", "write every target's file under the policy's directory")
    _report_options(render)
    _all_option(render)
    _all_tools(render)
    render.add_argument(
        "--only", nargs="+", metavar="TARGET", action="extend", help="render only these targets"
    )
    render.add_argument("--dry-run", action="store_true", help="show what would change")
    render.add_argument(
        "--diff", action="store_true", help="with --dry-run: the unified diff of every change"
    )
    render.add_argument(
        "--force", action="store_true", help="overwrite or remove files envgen did not write"
    )
    check = add("check", "exit 1 with a diff if any generated file is out of date")
    _report_options(check)
    _all_option(check)
    check.add_argument(
        "--warnings",
        action="store_true",
        help="print the policy's warnings too (silent by default)",
    )
    check.add_argument(
        "--only", nargs="+", metavar="TARGET", action="extend", help="check only these targets"
    )
    explain = add(
        "explain",
        "show what every tool will really do: proxies, NO_PROXY, settings, credentials, losses",
    )
    explain.add_argument(
        "url", nargs="?", metavar="URL", help="explain each tool's decision for this URL"
    )
    explain.add_argument(
        "--format",
        dest="output_format",
        choices=("text", "json"),
        default="text",
        help="output format (default: text)",
    )
    explain.add_argument(
        "--no-proxy",
        metavar="VALUE",
        help="model every tool with NO_PROXY and no_proxy set to VALUE instead",
    )
    explain.add_argument(
        "--tool",
        dest="tool_versions",
        action="append",
        metavar="NAME=VERSION",
        help="model NAME as release VERSION (e.g. curl=7.85, pip=23.2; git=X means a git on "
        "libcurl X); repeatable. `envgen doctor` does this with the versions it finds",
    )
    doctor = add(
        "doctor",
        "run the installed tools against loopback fakes: does each go where the policy means?",
    )
    doctor.add_argument(
        "urls", nargs="*", metavar="URL", help="the URLs to try (default: the policy's "
        "registries, one URL inside each NO_PROXY rule, one outside them)"
    )  # fmt: skip
    doctor.add_argument(
        "--tool",
        dest="tools",
        nargs="+",
        action="extend",
        metavar="TOOL",
        help=f"only these tools (default: every one of {', '.join(DOCTOR_TOOLS)} found on PATH)",
    )
    doctor.add_argument(
        "--format",
        dest="output_format",
        choices=("text", "json"),
        default="text",
        help="text (default) or json (docs/output.md: explain's URL report, plus what each "
        "tool did)",
    )
    env = add("env", "print the policy's environment for a shell or CI system")
    from envgen.formats.shell import FORMATS

    env.add_argument(
        "--format",
        dest="output_format",
        choices=FORMATS,
        default="sh",
        help="sh (default), fish, powershell, dotenv, github ($GITHUB_ENV) or gitlab",
    )
    env.add_argument(
        "--all-pointers",
        action="store_true",
        help="also point pip, go, npm, docker and curl at the rendered files with variables that "
        "REPLACE your own configuration (PIP_CONFIG_FILE, GOENV, NPM_CONFIG_USERCONFIG, "
        "DOCKER_CONFIG, CURL_HOME); each is printed with a comment saying what it hides",
    )
    init = add("init", "write a starter envgen.yaml for this repository, adopting its configs")
    init.add_argument(
        "--from-existing",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="read .npmrc, pip.conf, go.env, daemon.json and .gitlab-ci.yml proxy variables "
        "into the policy (default: when any of them exists)",
    )
    init.add_argument("--force", action="store_true", help="replace an existing envgen.yaml")
    new = add("new", "scaffold a new repository from a template (cookiecutter), rendered")
    new.add_argument("template", nargs="?", metavar="TEMPLATE", help="a shipped template "
                     "(see --list), or a cookiecutter template's directory or git URL")  # fmt: skip
    new.add_argument("--no-input", action="store_true", help="take every default; ask nothing")
    new.add_argument("-o", "--output-dir", default=".", metavar="DIR", help="where to create it")
    new.add_argument(
        "--extra-context",
        nargs="+",
        action="extend",
        metavar="KEY=VALUE",
        help="template variables, e.g. project_name=payments proxy=http://proxy:3128",
    )
    new.add_argument(
        "--list", dest="list_templates", action="store_true", help="list the shipped templates"
    )
    add("schema", "print the policy's JSON Schema")
    add("targets", "list available targets and their default paths")
    return parser


def main(argv: Sequence[str] | None = None, console: Console | None = None) -> int:
    """Run one command; return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "diff", False) and not args.dry_run:
        parser.error("--diff shows what a render would change without writing: add --dry-run")
    con = console or default_console()
    con.color = args.color
    con.quiet = args.quiet
    options = {
        k: v for k, v in vars(args).items() if k not in ("command", "color", "quiet", "traceback")
    }
    con.all_warnings = bool(options.pop("all_warnings", False))
    fmt = options.pop("report_format", "text")
    if fmt != "text":
        from envgen.reports import Report

        con.report = Report(fmt)
    code = _run(args, con, options)
    if con.report is not None and code != EXIT_BROKEN_PIPE:
        try:
            document = con.report.document(args.command, __version__, code)
            if document:
                con.emit(document.rstrip("\n"))
        except BrokenPipeError:
            silence_stdout()
            return EXIT_BROKEN_PIPE
    return code


def _run(args: argparse.Namespace, con: Console, options: dict[str, object]) -> int:
    """Run the command; every failure becomes an exit code and a message, never a traceback."""
    from envgen import commands

    verb = getattr(commands, f"cmd_{args.command}")
    try:
        if options.pop("all_policies", False):
            from envgen.multi import run_all

            if options.get("policy") is not None or con.report is not None:
                con.fatal("--all finds the policies itself: drop -p and --format")
                return 2
            options.pop("policy", None)
            return run_all(con, args.command, verb, options)
        return int(verb(con=con, **options))
    except EnvgenError as exc:
        con.diagnostics(exc.diagnostics)
        return exc.exit_code
    except KeyboardInterrupt:
        con.fatal("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`envgen explain | head`): stop quietly, as a command killed by
        # SIGPIPE would, and keep Python from complaining about stdout at exit.
        silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        if args.traceback:
            import traceback

            traceback.print_exc(file=con.err)
        con.fatal(
            f"internal error ({type(exc).__name__}): this is a bug in envgen "
            f"{__version__}; please report it with the output of --traceback"
        )
        return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
