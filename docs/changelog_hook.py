"""MkDocs hook: the site's changelog page is the repository's CHANGELOG.md (one file, never copied by hand)."""
from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files

CHANGELOG = Path(__file__).resolve().parent.parent / "CHANGELOG.md"


def on_files(files: Files, config) -> Files:
    """Add ``changelog.md`` to the site, its text read from CHANGELOG.md at build time."""
    files.append(File.generated(config, "changelog.md", content=CHANGELOG.read_text(encoding="utf-8")))
    return files
