"""Read one YAML data file of ``datasets/`` into a pydantic model, once per version of the file.

The case files and the client statements are read this one way: a missing file, bad YAML or a
field the model refuses raises :class:`ContentError` in one line naming the file, place and reason.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from workbook.errors import ContentError, one_line

from .yaml_text import load_yaml

M = TypeVar("M", bound=BaseModel)


def read_model(path: Path, model: type[M], what: str) -> M:
    """Read and validate ``path`` as ``model``; ``what`` names the file's kind in the message (e.g. "case")."""
    try:
        raw = load_yaml(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"{path}: no such {what} file (datasets/ must hold it)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: cannot be read ({exc})") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(one_line(exc, str(path))) from exc


@lru_cache(maxsize=16)
def _cached(path: str, mtime: float, model: type[BaseModel], what: str) -> BaseModel:
    return read_model(Path(path), model, what)


def load_model(path: Path, model: type[M], what: str, language: str | None = None) -> M:
    """:func:`read_model`, read again only when the file changed (its modification time); in another
    ``language``, the file of ``datasets/<language>/`` of the same name, checked against the English
    one (same ids and figures, see ``languages.check_structure``), or the English file where
    ``datasets/<language>/MISSING.yaml`` lists it (None: the language being rendered now)."""
    path = Path(path)
    if language is None:
        from workbook.i18n import current_language

        language = current_language()
    if language != "en":
        from .languages import localized_dataset

        path = localized_dataset(path, language)
    return _cached(str(path), path.stat().st_mtime if path.exists() else 0.0, model, what)  # type: ignore[return-value]


def dataset_path(name: str, language: str | None = None) -> Path:
    """The file ``datasets/<name>`` in ``language`` (None: the language being rendered now): the file of
    ``datasets/<language>/`` checked against the English one, or the English file where that language's
    ``MISSING.yaml`` lists it; ContentError in one line naming the file when it is neither."""
    from workbook.settings import get_settings

    path = get_settings().datasets_dir / name
    if language is None:
        from workbook.i18n import current_language

        language = current_language()
    if language == "en":
        return path
    from .languages import localized_dataset

    return localized_dataset(path, language)
