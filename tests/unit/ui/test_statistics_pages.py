"""Coach and HR pages show each instrument's reliability for their own cohort; trainees cannot."""
import pytest

from workbook.analysis.cohort_statistics import cohort_instrument_stats
from workbook.content.catalogue import catalogue
from workbook.errors import AccessDenied
from workbook.render.cohort_html import stats_html
from workbook.store import AccessCodeAuthenticator
from workbook.store.demo import build_demo, demo_codes
from workbook.ui.pages.statistics import statistics_html


def test_statistics_block_is_the_cohort_stats_of_every_instrument(db):
    build_demo(db)
    auth = AccessCodeAuthenticator(db)
    coach, hr, trainee = (auth.authenticate(c) for c in demo_codes(3))
    for who in (coach, hr):
        html = statistics_html(db, who)
        for inst in catalogue().instruments.values():
            assert stats_html(cohort_instrument_stats(db, who, inst.id, who.cohort_id), inst) in html
    assert "Cronbach" in html or "alpha" in html.lower()
    with pytest.raises(AccessDenied):
        statistics_html(db, trainee)
