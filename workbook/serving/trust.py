"""The pages a workbook server serves are its own notebooks: sign them as trusted when the server starts.

Jupyter's contents manager checks each notebook's signature when Voila reads it and logs "Notebook …
is not trusted" for every page request of an unsigned one (a notebook is signed when a person saves
it in Jupyter; ours come from the repository or the wheel). The server signs them itself, in a
signature store held in memory with a secret of its own, so nothing is written to the operator's
Jupyter data directory and no other notebook becomes trusted.
"""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbformat.sign import MemorySignatureStore


def trust_pages(contents_manager, root_dir: str | Path) -> int:
    """Sign every notebook under ``root_dir`` in ``contents_manager``'s notary; returns how many."""
    notary = contents_manager.notary
    notary.store = MemorySignatureStore()
    notary.secret = os.urandom(32)
    count = 0
    for path in sorted(Path(root_dir).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        notary.sign(nbformat.read(path, as_version=4))
        count += 1
    return count
