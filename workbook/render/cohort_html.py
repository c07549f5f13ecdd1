"""HTML views shared by the coach's page and the reports: a cohort's score spreads, choices and
statistics, coaching notes (all through the templates of ``workbook.render.fragments``)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from workbook.analysis.cohort_scores import DimensionSpread, KeyAgreement, spread_frame, tally_frame
from workbook.analysis.cohort_statistics import InstrumentStats, earlier_version_note
from workbook.i18n import _, _l
from workbook.render.charts import category_counts, score_distribution, to_svg
from workbook.render.fragments import render_fragment, trusted

SPREAD_CHART_TITLE = _l("Each tick is one person; ◆ the cohort mean")


def spread_table_html(module, instrument, spreads: Sequence[DimensionSpread], threshold: int,
                      answered: int | None = None, after: str = "") -> str:
    """One scored instrument across the cohort: spread per dimension (or why hidden) and the tick chart.
    The coach's live results and the cohort report both show it; ``answered`` and ``after`` are the report's."""
    frame = spread_frame(spreads)
    chart = trusted(to_svg(score_distribution(frame, title=str(SPREAD_CHART_TITLE)))) if len(frame) else ""
    return str(render_fragment("spread_table", module=module, instrument=instrument, spreads=spreads, threshold=threshold,
                           answered=answered, chart=chart, after=trusted(after)))


def reliability_html(rels, caption: str = "") -> str:
    """Cronbach's alpha per dimension with Feldt's 95% confidence interval and n (complete cases); the caption
    defaults to the 360 raters' one."""
    caption = caption or _("Internal consistency of the raters' answers (groups shown only; few raters give wide intervals)")
    return str(render_fragment("reliability_table", rows=rels, caption=caption)) if rels else ""


def stats_html(stats: InstrumentStats, instrument) -> str:
    """The statistics as an HTML table for the coach and HR pages (hidden groups say why)."""
    rows = [(rel, agg, ", ".join(i.item for i in rel.items if i.item_total_r is not None and i.item_total_r < 0.3))
            for rel, agg in zip(stats.reliability, stats.aggregates)]
    return str(render_fragment("stats_table", title=instrument.title, stats=stats, rows=rows, earlier=earlier_version_note(stats) or ""))


def key_agreement_html(module, agree: KeyAgreement, threshold: int) -> str:
    """The cohort's classification against the expert key, or why it is hidden."""
    return str(render_fragment("key_agreement", module=module, agree=agree, threshold=threshold))


def choices_html(module, tally, threshold: int) -> str:
    """One choice exercise across the cohort: counts per option and a bar chart, or why hidden."""
    if isinstance(tally, KeyAgreement):
        return key_agreement_html(module, tally, threshold)
    chart = trusted(to_svg(category_counts(tally_frame(tally), axis=tally.unit))) if tally.shown else ""
    return str(render_fragment("choice_tally", module=module, tally=tally, threshold=threshold, chart=chart))


def notes_html(notes: Iterable, sharing: bool, empty: str) -> str:
    """Coaching notes, every field escaped; ``sharing`` marks each as shared or private (the coach's view)."""
    from workbook.store.notes import GROW_LABELS

    return str(render_fragment("notes", notes=list(notes), sharing=sharing, empty=empty, labels=GROW_LABELS))
