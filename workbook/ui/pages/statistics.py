"""Reliability and cohort aggregates of every instrument, for the coach and HR pages."""
from __future__ import annotations

from workbook.analysis.cohort_statistics import cohort_instrument_stats
from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.render.cohort_html import stats_html
from workbook.render.html import esc
from workbook.store import Database


def statistics_html(db: Database, identity: Identity) -> str:
    """One block per instrument: Cronbach's alpha, item–total correlations, n and missing, aggregates under the threshold rule."""
    parts = ["<h2>Instrument statistics for your cohort</h2>"]
    for inst in catalogue().instruments.values():
        stats = cohort_instrument_stats(db, identity, inst.id, identity.cohort_id)
        parts.append(f"<h3>{esc(inst.title)}</h3>{stats_html(stats, inst)}")
    return "".join(parts)
