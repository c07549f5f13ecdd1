"""Module 2's timeline analysis, on hand-worked examples."""
import pytest

from workbook.domain.timeline import Phase, phases_from_answers, summarise, timeline_frame

PHASES = [("first_contact", "First contact"), ("purchasing", "Purchasing"), ("contract", "Contract"), ("delivery", "Delivery"), ("maintenance", "Maintenance"), ("next", "Next")]


def test_answers_become_phases_and_bad_durations_count_as_missing():
    answers = {"first_contact.duration": 1.5, "first_contact.who": "Sales", "first_contact.where": "remote", "purchasing.duration": -2,
               "contract.duration": True, "delivery.duration": 24, "delivery.where": ""}
    ph = phases_from_answers(PHASES, answers)
    assert ph[0] == Phase("first_contact", "First contact", 1.5, "Sales", "remote")
    assert ph[1].duration is None and ph[2].duration is None  # negative, boolean
    assert ph[3].duration == 24.0 and ph[3].where is None  # "" means not placed


def test_phases_are_laid_end_to_end_skipping_untimed_ones():
    ph = [Phase("a", "A", 2), Phase("b", "B", None), Phase("c", "C", 3.5), Phase("d", "D", 0)]
    f = timeline_frame(ph)
    assert list(f["phase"]) == ["A", "C", "D"]
    assert list(f["start"]) == [0, 2, 5.5] and list(f["end"]) == [2, 5.5, 5.5]
    assert list(f["order"]) == [0, 2, 3]


def test_summary_splits_time_around_delivery_and_counts_places():
    # 1 + 3 + 2 = 6 months before; 48 during; 12 + 6 = 18 after; outside = 24 / 72 = 1/3
    ph = [
        Phase("first_contact", "", 1, where="own_site"),
        Phase("purchasing", "", 3, where="client_site"),
        Phase("contract", "", 2, where="remote"),
        Phase("delivery", "", 48, where="client_site"),
        Phase("maintenance", "", 12, where="client_site"),
        Phase("next", "", 6),
    ]
    s = summarise(ph, "delivery")
    assert (s.before, s.during, s.after, s.total) == (6, 48, 18, 72)
    assert s.share_outside == pytest.approx(1 / 3)
    assert s.places == {"own_site": 1, "client_site": 3, "remote": 1}
    assert s.described == 6


def test_summary_of_nothing_timed_has_no_share():
    s = summarise([Phase("delivery", "", None), Phase("after", "", None)], "delivery")
    assert s.total == 0 and s.share_outside is None and s.described == 0


def test_timeline_chart_shows_each_timed_phase_and_who_is_involved():
    from workbook.render.charts import timeline_chart, to_svg

    ph = [Phase("a", "First contact", 1, "Sales & buyer", "remote"), Phase("b", "Contract", None), Phase("c", "Delivery", 24, "Site team", "client_site")]
    svg = to_svg(timeline_chart(timeline_frame(ph), "My timeline", "time (months)", "Where", {"client_site": "Client's site", "remote": "Remote"}))
    for text in ("My timeline", "First contact", "Delivery", "Sales &amp; buyer", "Site team", "Client&#39;s site"):
        assert text in svg or text.replace("&#39;", "'") in svg, text
    assert "Contract" not in svg  # an untimed phase is not drawn
