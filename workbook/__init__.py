"""Servuction Workbook: teaching B2B servuction and customer orientation with Voila notebooks."""
import sys as _sys

# jsonschema (imported by Altair) builds an RFC 3987 grammar at import when the optional
# rfc3987_syntax package is present: ~2 s of every kernel start and report run. The workbook
# never validates IRI formats, so the import is blocked (jsonschema then skips that format).
_sys.modules.setdefault("rfc3987_syntax", None)

__version__ = "0.1.0"
