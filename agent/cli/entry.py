"""The console script's entry: installs the Ctrl-C and `--version` handling before the CLI's heavy imports.

Ctrl-C at any moment, start-up included, ends with one `error: interrupted` line and exit 130.
"""

from __future__ import annotations

import signal
import sys

INTERRUPTED = 130


def package_version() -> str:
    """The installed package's version ('unknown' when run from a bare checkout). Imported here, not at the
    top: until `main` runs, a Ctrl-C is Python's own traceback, so this module imports next to nothing."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("socialplan")
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    """`socialplan`: the CLI, with Ctrl-C turned into exit 130 wherever it lands."""
    args = sys.argv[1:] if argv is None else argv
    pressed: list[int] = []

    def on_ctrl_c(signum: int, frame: object) -> None:
        pressed.append(signum)  # remembered: a library may swallow the KeyboardInterrupt while it is imported
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        if args in (["--version"], ["-V"]):
            print(f"socialplan {package_version()}")
            sys.exit(0)
        from agent.cli.app import main as run

        if pressed:
            raise KeyboardInterrupt
        run(args)
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(INTERRUPTED)
