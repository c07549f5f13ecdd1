"""Reliability and cohort aggregates of every instrument, for the coach and HR pages."""
from __future__ import annotations

from workbook.analysis.cohort_statistics import cohort_instrument_stats
from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.render.cohort_html import stats_html
from workbook.render.fragments import render_fragment, trusted
from workbook.store import Database


def statistics_html(db: Database, identity: Identity) -> str:
    """One block per instrument: Cronbach's alpha, item–total correlations, n and missing, aggregates under the threshold rule."""
    blocks = [(inst, trusted(stats_html(cohort_instrument_stats(db, identity, inst.id, identity.cohort_id), inst)))
              for inst in catalogue().instruments.values()]
    return str(render_fragment("statistics", blocks=blocks))
