"""Charts shown inside teaching sections (a section's ``figure:`` key), drawn from fixed data in ``datasets/``.

Each figure is a function returning HTML (an inline SVG with its caption); nbval checks the
numbers behind them through the ``*_text`` functions.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workbook.content.datafile import dataset_path
from workbook.domain.journey import JourneyMap, import_csv
from workbook.errors import ContentError
from workbook.i18n import _, _l, format_number

if TYPE_CHECKING:  # pandas when a figure is drawn, not with the page
    import pandas as pd

SALESFORCE_FILE = "salesforce_2019.csv"
SALESFORCE_CAPTION = _l(
    "Salesforce Research (2019), survey of B2B and B2C customers, as reported by V. Mathieu, "
    "A Customer-oriented Manager for B2B Services, §2.2.2.2. The figures are quoted as the book gives them."
)
EXAMPLE_MAP_FILE = "journey_example.csv"


def salesforce_frame() -> pd.DataFrame:
    """The three Salesforce 2019 statements with their B2B and B2C percentages."""
    import pandas as pd

    frame = pd.read_csv(dataset_path(SALESFORCE_FILE))  # the statements in the page's language
    return frame[["statement", "population", "percent"]]


def salesforce_text() -> str:
    """The Salesforce 2019 figures as text lines (statement: B2B % / B2C %)."""
    frame = salesforce_frame()
    lines = []
    for statement, group in frame.groupby("statement", sort=False):
        pct = dict(zip(group["population"], group["percent"]))
        lines.append(_("{statement}: B2B {b2b}% / B2C {b2c}% (gap {gap} points)").format(statement=statement, b2b=pct["B2B"], b2c=pct["B2C"], gap=f"{pct['B2B'] - pct['B2C']:+d}"))
    return "\n".join(lines)


def salesforce_html() -> str:
    """The Salesforce 2019 chart as inline SVG with its citation."""
    from workbook.render.charts import experience_survey, to_svg_cached
    from workbook.render.fragments import render_fragment, trusted

    return str(render_fragment("figure", body=trusted(to_svg_cached(experience_survey(salesforce_frame()))), caption=str(SALESFORCE_CAPTION)))


def example_map() -> JourneyMap:
    """The worked example: a multi-year maintenance contract (fictional), from ``datasets/``."""
    return import_csv(dataset_path(EXAMPLE_MAP_FILE).read_text(encoding="utf-8"))  # in the page's language


FIGURES: dict[str, Callable[[], str]] = {"salesforce_2019": salesforce_html}


def _case_figures() -> dict[str, Callable[[], str]]:
    from .examples_service import CASE_FIGURES  # modules 6–8: the Nordfrost case

    return CASE_FIGURES


FIGURES.update(_case_figures())


def figure_html(key: str) -> str:
    """The HTML of a named figure; ContentError when a section names an unknown one."""
    try:
        return FIGURES[key]()
    except KeyError:
        raise ContentError(f"figure {key!r} is not one of {', '.join(sorted(FIGURES))}; fix the section's figure: key") from None


def example_to_be() -> JourneyMap:
    """The worked example as it should be: the two worst touchpoints the team controls, fixed."""
    from workbook.domain.journey import duplicate_map, edit_touchpoint

    before = example_map()
    m = duplicate_map(before, title=_("{title} (to be)").format(title=before.title), variant="to_be")
    m = edit_touchpoint(m, "t10", emotion=0, pain_point="", frontstage=_("Hotline recognises the site from the caller's number; technician on site in 3 h"))
    m = edit_touchpoint(m, "t15", emotion=1, pain_point="", backstage=_("Two-week overlap between technicians and a site logbook"))
    return m


def stage_table_text(m: JourneyMap) -> str:
    """Mean emotion and touchpoint count per stage, as a text table."""
    from workbook.domain.journey import stage_emotions

    stage, touchpoints, emotion = _("stage"), _("touchpoints"), _("mean emotion")
    lines = [f"{stage:<32}{touchpoints:>12}{emotion:>14}"]
    for r in stage_emotions(m).itertuples():
        lines.append(f"{r.stage:<32}{r.touchpoints:>12}{format_number(r.emotion, 2):>14}")
    return "\n".join(lines)


def compare_text(before: JourneyMap, after: JourneyMap) -> str:
    """The changes from one map to another, one line each."""
    from workbook.domain.journey import compare

    return "\n".join(f"{c.kind_text:<8} " + _("{label}: {text}").format(label=f"{c.stage} / {c.touchpoint}", text=c.detail)
                     for c in compare(before, after)) or _("(no change)")


def example_summary_text() -> str:
    """Module 5 worked example: the example map's counts and action list."""
    from workbook.domain.journey import summary_text

    return summary_text(example_map())


def example_stages_text() -> str:
    """Module 5 worked example: mean emotion and touchpoints per stage of the example map."""
    return stage_table_text(example_map())


def example_compare_text() -> str:
    """Module 5 worked example: what changes from the example map as it is to the map as it should be."""
    return compare_text(example_map(), example_to_be())
