"""A hub user's Jupyter server, started in a Python that imported ``workbook`` first.

``jupyterhub-singleuser`` imports jupyter_server, whose event logger imports jsonschema, which builds rfc3987_syntax's
grammar as it loads: ~1.5 s of CPU and ~15 MB in every server, for a format the workbook never checks. Importing
``workbook`` blocks that module (workbook/__init__.py), so ``workbook singleuser`` (``hub.singleuser_command``) runs

    python -m workbook.serving.launch singleuser ARGS...

Standalone Voila (``workbook serve``) still starts as ``python -m voila``: started through here, Jupyter's restarter
brought a killed pooled kernel back under its own id instead of leaving it dead for the pool to replace
(tests/integration/test_serving.py, 5 Dec; not understood yet), so it pays the grammar's import once per server.
"""
from __future__ import annotations

import sys

import workbook  # noqa: F401  its import blocks rfc3987_syntax before jupyter_server can load it

MODULE = "workbook.serving.launch"  # this module (its __name__ is "__main__" when it runs)
LAUNCH = [sys.executable, "-m", MODULE]  # a command line's first words, before the application's name


def main(argv: list[str]) -> int | None:
    """Run the application ``argv[0]`` ("singleuser") with the arguments after it, in this process."""
    app, args = (argv[0] if argv else ""), argv[1:]
    if app != "singleuser":
        print(f"python -m {MODULE}: the application {app!r} is not singleuser", file=sys.stderr)
        return 2
    from jupyterhub.singleuser import main as run

    sys.argv = ["jupyterhub-singleuser", *args]
    return run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
