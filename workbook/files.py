"""Files only their owner can read: the database, its WAL, backups, reports and logs.

Trainees' answers and access-code hashes live in these files; on a shared machine another
account must not read them. New files are created 0600 and folders 0700 whatever the umask.
"""
from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if missing; the folder itself is made owner-only."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    _chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if missing (owner-only from the first byte) or narrow an existing one."""
    path = Path(path)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
    os.close(fd)
    _chmod(path, FILE_MODE)
    return path


def narrow(*paths: Path) -> None:
    """Make existing files owner-only (missing ones are skipped)."""
    for path in paths:
        if Path(path).exists():
            _chmod(Path(path), FILE_MODE)


def write_private_text(path: Path, text: str) -> Path:
    """Write ``text`` to a file that no other account can read, even for a moment."""
    private_file(path)
    Path(path).write_text(text, encoding="utf-8")
    return Path(path)


def _chmod(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except PermissionError:  # a file owned by someone else (e.g. a shared mount): leave it as it is
        pass
