"""Module handouts (issue #12): one A4 page per module from the report pipeline (pdfinfo counts the
pages, pdftotext reads the key ideas, the canvas labels and the takeaway back), drawn from the
modules' own content; the handout page offers the PDF as a download built in the kernel; module
pages and the facilitator guide link to it."""
from __future__ import annotations

import base64
import html as html_lib
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from cli_run import run_cli
from widget_tools import html_text

from workbook.content.catalogue import catalogue

ROOT = Path(__file__).resolve().parents[2]
GUIDE = {m["module"]: m for m in yaml.safe_load((ROOT / "exercises" / "facilitator.yaml").read_text(encoding="utf-8"))["modules"]}


def _yaml(name: str) -> dict:
    return yaml.safe_load((ROOT / "exercises" / name).read_text(encoding="utf-8"))


def _exercise(doc: dict, ex_id: str) -> dict:
    return next(e for e in doc["exercises"] if e["id"] == ex_id)


def canvas_labels() -> dict[str, list[str]]:
    """What each module's canvas must show, read from the module YAML here (not through the code)."""
    m01, m02, m06, m08, m09 = (_yaml(f) for f in ("m01_servuction.yaml", "m02_time_space.yaml", "m06_triangle.yaml", "m08_essence.yaml", "m09_coaching.yaml"))
    layer_col = next(c for c in _exercise(m08, "layer_sort")["columns"] if c["id"] == "layer")
    return {
        "m01": [e["label"] for e in _exercise(m01, "servuction_map")["elements"]],
        "m02": [p["label"] for p in _exercise(m02, "timeline")["phases"]],
        "m04": list(_exercise(_yaml("m04_process_outcome.yaml"), "gaps")["categories"][k] for k in ("concentrate", "keep_up", "low_priority", "overkill")),
        "m06": [m06["results"]["labels"][k] for k in ("client", "provider", "service", "mastery", "relationship", "involvement")]
               + [i["label"] for i in _exercise(m06, "possible_mastery")["items"]],
        "m07": [d["label"] for d in _yaml("service_culture.yaml")["dimensions"]],
        "m08": [o["label"] for o in layer_col["options"]] + [o["label"] for o in _exercise(m08, "ladder")["options"]],
        "m09": [s["label"] for s in _exercise(m09, "grow")["steps"]],
    }


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """Every handout PDF made once by `workbook facilitator --handouts --pdf` (papermill + Chromium)."""
    from workbook.settings import reset_settings
    from workbook.store import open_database, reset_default

    data = tmp_path_factory.mktemp("handouts-data")
    mp = pytest.MonkeyPatch()
    mp.setenv("WORKBOOK_DATA_DIR", str(data))
    reset_settings(), reset_default()
    open_database()
    out = data / "out"
    try:
        assert run_cli(mp, data, "facilitator", "--handouts", "--pdf", "-o", str(out)) == 0
    finally:
        mp.undo()
        reset_settings(), reset_default()
    return out


@pytest.mark.slow
@pytest.mark.parametrize("module_id", [f"m0{n}" for n in range(1, 10)])
def test_each_handout_is_one_a4_page_with_its_key_ideas_canvas_and_takeaway(handouts, module_id):
    pdf = handouts / f"handout-{module_id}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\n", info), info
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(w - 595.3) < 2 and abs(h - 841.9) < 2, "not A4"
    text = _words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    module = catalogue().module(module_id)
    assert module.title in text
    for k in GUIDE[module_id]["key_messages"]:
        assert _words(k["text"])[:60] in text
    assert _words(module.takeaway)[:60] in text
    squeezed = "".join(text.split())  # labels wrap inside their box; pdftotext splits font runs
    for label in canvas_labels().get(module_id, []):
        for word in re.findall(r"\w+", label):
            assert word in squeezed, f"{module_id}: canvas label {label!r}"


@pytest.mark.slow
def test_the_guide_links_every_handout_file_written_next_to_it(handouts):
    html = (handouts / "facilitator-guide.pdf").exists() and subprocess.run(
        ["pdftotext", str(handouts / "facilitator-guide.pdf"), "-"], capture_output=True, text=True).stdout
    assert html and "Handout: Module 9" in html
    for n in range(1, 10):
        assert (handouts / f"handout-m0{n}.pdf").is_file()


@pytest.mark.slow  # the PDF comes from Chromium
def test_the_handout_page_shows_the_handout_and_builds_its_pdf_as_a_download(settings_env, tmp_path):
    from workbook.ui.pages.handout import handout_page

    page = handout_page("m08")
    text = html_text(page)
    for label in canvas_labels()["m08"]:
        assert re.sub("<[^>]+>", " ", label.split()[0]) in text
    page.button.click()
    href = re.search(r'href="data:application/pdf;base64,([^"]+)"', page.link.value)
    assert href and 'download="handout-m08.pdf"' in page.link.value
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(base64.b64decode(href.group(1)))
    assert re.search(r"Pages:\s+1\n", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)
    assert "Value layer" in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


def test_an_unknown_module_is_one_line_and_no_button(settings_env):
    from workbook.ui.pages.handout import handout_page

    page = handout_page("m99")
    assert "no module 'm99'" in html_lib.unescape(page.status.value) and page.button.disabled and "wb-handout" not in page.body.value


def test_module_pages_and_the_guide_link_their_handout(db, cohort):
    from workbook.ui.pages.facilitator import guide_for
    from workbook.ui.pages.module import module_page

    page = module_page("m04", db=db)
    page.signin.code.value = cohort["people"]["Ann"]["code"]
    assert re.search(r'href="\./handout\.ipynb\?module=m04"', html_text(page))  # a plain link: the sign-in is in the cookie
    guide = guide_for(db, cohort["ident"]["Coach C"])
    for m in catalogue().ordered_modules():
        assert f"module={m.id}" in guide
