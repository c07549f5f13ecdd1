"""The wheel's build hook: compile the interface's translations (``workbook/locale/*/LC_MESSAGES/workbook.po``,
in git) into ``.mo`` files inside the wheel (they are not in git). An editable install (``make setup``)
compiles them beside the ``.po`` instead (``python -m workbook.i18n``)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if version == "editable":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        out = Path(tempfile.mkdtemp(prefix="workbook-mo-"))
        for po in sorted(Path(self.root, "workbook", "locale").glob("*/LC_MESSAGES/workbook.po")):
            language = po.parent.parent.name
            with po.open("rb") as f:
                catalogue = read_po(f, domain="workbook")
            mo = out / language / "workbook.mo"
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as f:
                write_mo(f, catalogue, use_fuzzy=False)
            build_data["force_include"][str(mo)] = f"workbook/locale/{language}/LC_MESSAGES/workbook.mo"
