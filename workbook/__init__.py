"""Servuction Workbook: teaching B2B servuction and customer orientation with Voila notebooks."""
import sys as _sys

# jsonschema (imported by Altair) builds an RFC 3987 grammar at import when the optional
# rfc3987_syntax package is present: ~2 s of every kernel start and report run. The workbook
# never validates IRI formats, so the import is blocked (jsonschema then skips that format).
_sys.modules.setdefault("rfc3987_syntax", None)


def __getattr__(name: str) -> str:
    """``workbook.__version__``: the one version, from the installed package's metadata (pyproject.toml)."""
    if name == "__version__":
        from importlib.metadata import version

        return version("servuction-workbook")
    raise AttributeError(f"module 'workbook' has no attribute {name!r}")
