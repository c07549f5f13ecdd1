"""Voila's page templates compiled once per server, not once per page.

Voila builds a new exporter, and so a new Jinja environment, for every page it renders (each preheated kernel's and
each visitor's page): every template the page uses (``index.html.j2`` and the ones it extends and includes, the
workbook's and Voila's, nbconvert's) was lexed, parsed and compiled to Python again for each page, most of it while
the visitor waits (the page's end is rendered after the hand-out). Here every Voila exporter's environment shares one
in-memory store of the compiled code (a Jinja ``BytecodeCache``): a template is compiled the first time, later pages
load its code object. A template whose source changed on disk has another checksum and is compiled again; the key
holds what changes the generated code (async rendering, the extensions), so only environments alike share code.

Installed when Voila imports ``workbook.serving.kernels`` in its server process.
"""
from __future__ import annotations

from jinja2.bccache import Bucket, BytecodeCache

_installed = False


class SharedTemplateCode(BytecodeCache):
    """Compiled template code kept in memory for every environment that uses it; ``compiled`` and ``reused`` count."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, object]] = {}
        self.compiled = 0
        self.reused = 0

    def get_bucket(self, environment, name: str, filename: str | None, source: str) -> Bucket:
        flavour = f"{name}|async={environment.is_async}|{','.join(sorted(environment.extensions))}"
        bucket = Bucket(environment, self.get_cache_key(flavour, filename), self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._code.get(bucket.key, ("", None))
        if code is not None and checksum == bucket.checksum:
            bucket.code = code
            self.reused += 1

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)
        self.compiled += 1

    def clear(self) -> None:
        self._code.clear()


TEMPLATE_CODE = SharedTemplateCode()


def install() -> None:
    """In Voila's server process: every Voila exporter's Jinja environment uses ``TEMPLATE_CODE`` (idempotent; nothing
    when Voila is not installed)."""
    global _installed
    try:
        from voila.exporter import VoilaExporter
    except ImportError:
        return
    if _installed:
        return
    original = VoilaExporter._create_environment

    def _create_environment(self):
        environment = original(self)
        environment.bytecode_cache = TEMPLATE_CODE
        return environment

    VoilaExporter._create_environment = _create_environment
    _installed = True
