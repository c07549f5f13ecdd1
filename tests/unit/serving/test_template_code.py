"""serving/template_code.py: Voila's page templates are compiled once per server, not once per page."""
from __future__ import annotations

import asyncio

import pytest
from voila.exporter import VoilaExporter
from voila.paths import collect_template_paths

from workbook.serving import template_code
from workbook.serving.serve import TEMPLATE, TEMPLATE_ROOT


@pytest.fixture
def shared(monkeypatch):
    """A fresh shared store installed as the server installs it; Voila's exporter restored after the test."""
    monkeypatch.setattr(VoilaExporter, "_create_environment", VoilaExporter._create_environment)
    monkeypatch.setattr(template_code, "_installed", False)
    store = template_code.SharedTemplateCode()
    monkeypatch.setattr(template_code, "TEMPLATE_CODE", store)
    template_code.install()
    return store


def test_each_page_exporter_reuses_the_page_templates_the_first_compiled(shared, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(TEMPLATE_ROOT))
    paths = collect_template_paths(["voila", "nbconvert"], TEMPLATE)  # as Voila's server collects them
    first = VoilaExporter(template_paths=paths, template_name=TEMPLATE).template
    compiled = shared.compiled
    assert compiled >= 1 and shared.reused == 0
    pages = [VoilaExporter(template_paths=paths, template_name=TEMPLATE) for _ in range(5)]  # one exporter per page
    templates = [page.template for page in pages]
    assert shared.compiled == compiled  # nothing compiled again
    assert shared.reused == 5 * compiled
    assert all(t is not first for t in templates)  # each page keeps its own environment and template object


def test_a_template_changed_on_disk_is_compiled_again_and_environments_unlike_do_not_share(shared, tmp_path):
    page = tmp_path / "index.html.j2"
    page.write_text("before {{ 1 + 1 }}")

    def render() -> str:
        exporter = VoilaExporter(template_paths=[str(tmp_path)], template_name="")
        return asyncio.run(exporter.environment.get_template("index.html.j2").render_async())

    assert render() == "before 2"
    assert render() == "before 2" and (shared.compiled, shared.reused) == (1, 1)
    page.write_text("after {{ 2 + 2 }}")
    assert render() == "after 4" and shared.compiled == 2
    # a synchronous environment (other generated code) never gets the async environments' code
    from jinja2 import Environment, FileSystemLoader

    plain = Environment(loader=FileSystemLoader(str(tmp_path)), bytecode_cache=shared, autoescape=True)
    assert plain.get_template("index.html.j2").render() == "after 4" and shared.compiled == 3
