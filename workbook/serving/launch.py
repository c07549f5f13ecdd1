"""Voila and a hub user's Jupyter server, started in a Python that imported ``workbook`` first.

``python -m voila`` and ``jupyterhub-singleuser`` import jupyter_server, whose event logger imports jsonschema, which
builds rfc3987_syntax's grammar as it loads: ~1.5 s of CPU and ~15 MB in every server, for a format the workbook never
checks. Importing ``workbook`` blocks that module (workbook/__init__.py), so the workbook starts its servers as

    python -m workbook.serving.launch voila ARGS...        (workbook serve: serve.voila_command)
    python -m workbook.serving.launch singleuser ARGS...   (workbook singleuser: hub.singleuser_command)
"""
from __future__ import annotations

import sys

import workbook  # noqa: F401  its import blocks rfc3987_syntax before jupyter_server can load it

MODULE = "workbook.serving.launch"  # this module (its __name__ is "__main__" when it runs)
LAUNCH = [sys.executable, "-m", MODULE]  # a command line's first words, before the application's name


def main(argv: list[str]) -> int | None:
    """Run the application ``argv[0]`` ("voila" or "singleuser") with the arguments after it, in this process."""
    app, args = (argv[0] if argv else ""), argv[1:]
    if app == "voila":
        from voila.app import main as run

        sys.argv = ["voila", *args]
    elif app == "singleuser":
        from jupyterhub.singleuser import main as run

        sys.argv = ["jupyterhub-singleuser", *args]
    else:
        print(f"python -m {MODULE}: the application {app!r} is not one of voila, singleuser", file=sys.stderr)
        return 2
    return run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
