"""Every chart builder's own words (titles, axis and legend titles, legend entries, lane and line names, the text
alternative) follow the language being rendered (#15): drawn in French and in Chinese, a chart's spec holds no
English catalogue string. The titles a caller passes come from the catalogue or gettext and are checked where
they are built (the worked examples, the pages)."""
from __future__ import annotations

import inspect

import pandas as pd
import pytest
from english_check import english_left

from workbook.i18n import using
from workbook.render import charts

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _journey() -> pd.DataFrame:
    from workbook.domain.journey import touchpoints_frame
    from workbook.ui.pages.figures import example_map

    return touchpoints_frame(example_map())  # the example map in the language current (datasets/<lang>/)


def _compare() -> pd.DataFrame:
    from workbook.domain.journey import compare_frame
    from workbook.ui.pages.figures import example_map, example_to_be

    return compare_frame([example_map(), example_to_be()])


def _score_bars() -> str:
    from workbook.render.score_bars import score_bars_svg

    return score_bars_svg(SCORES)  # drawn as SVG in Python, not through Altair


def _gain():
    from workbook.render.quiz_html import gain_chart

    frame = pd.DataFrame({"concept": ["C1", "C1"], "form": ["A", "B"], "percent": [40.0, 70.0]})
    return gain_chart(frame, "", ["C1"])


SCORES = pd.DataFrame({"dimension": ["d1", "d2"], "score_100": [40.0, 70.0]})
# each builder of workbook.render.charts drawn with neutral data (ids, numbers) and no title of the caller's
BUILDERS = {
    "servuction_triangle": lambda: charts.servuction_triangle(pd.DataFrame({
        "link": ["mastery", "relationship", "involvement"], "label": ["l1", "l2", "l3"], "score_100": [80.0, 50.0, None],
        "favoured": [True, False, False]}), {"client": "e1", "provider": "e2", "service": "e3"}),
    "category_counts": lambda: charts.category_counts(pd.DataFrame({"label": ["k1"], "count": [2]})),
    "score_distribution": lambda: charts.score_distribution(SCORES),
    "scores_with_cohort": lambda: charts.scores_with_cohort(SCORES.assign(cohort_mean=[50.0, None])),
    "timeline_chart": lambda: charts.timeline_chart(pd.DataFrame({
        "phase": ["p1"], "start": [0.0], "end": [3.0], "duration": [3.0], "where": ["w1"], "who": ["x"]}), "", "", "", {"w1": "w1"}),
    "ipa_chart": lambda: charts.ipa_chart(pd.DataFrame({"element": ["x1"], "importance": [4], "investment": [1], "category": ["c1"]}),
                                          4, 5, "", "", "", {"c1": "c1"}),
    "classification_chart": lambda: charts.classification_chart(pd.DataFrame({"theme": ["t1"], "result": ["r1"], "count": [2], "rank": [0]}), "", "", ""),
    "emotion_curve": lambda: charts.emotion_curve(_journey()),
    "emotion_compare": lambda: charts.emotion_compare(_compare()),
    "service_blueprint": lambda: charts.service_blueprint(_journey()),
    "experience_survey": lambda: charts.experience_survey(pd.DataFrame({"statement": ["s1", "s1"], "population": ["B2B", "B2C"], "percent": [80, 60]})),
    "feedback_dots": lambda: charts.feedback_dots(pd.DataFrame({"dimension": ["d1", "d1"], "who": ["Self", "All raters"], "mean": [4.0, 3.0]}), 5),
    "profile_position": lambda: charts.profile_position(pd.DataFrame({"who": ["Self", "All raters"], "position": [-40.0, 10.0]})),
    "attempts_lines": lambda: charts.attempts_lines(pd.DataFrame({"attempt": [1, 2], "dimension": ["d1", "d1"], "score_100": [40.0, 60.0]})),
    "quiz_html.gain_chart": _gain,
    "score_bars.score_bars_svg": _score_bars,
}


# spec keys whose string values are names for Vega (fields, types, colours, expressions), never shown as words
NOT_SHOWN = {"field", "type", "$schema", "name", "format", "mark", "filter", "aggregate", "color", "fill", "stroke", "shape", "strokeCap",
             "align", "baseline", "fontStyle", "fontWeight", "font", "labelFont", "titleFont", "orient", "interpolate", "as", "data", "stack"}


def shown_words(spec: object, key: str = "") -> list[str]:
    """Every string value of a chart's spec that a reader may see (titles, legend entries, data shown, the text alternative)."""
    if isinstance(spec, dict):
        return [w for k, v in spec.items() for w in shown_words(v, k)]
    if isinstance(spec, list):
        return [w for v in spec for w in shown_words(v, key)]
    return [spec] if isinstance(spec, str) and key not in NOT_SHOWN else []


def test_every_chart_builder_is_checked():
    """A new builder in render/charts.py without a case here fails (its words would go unchecked)."""
    built = {name for name, f in inspect.getmembers(charts, inspect.isfunction)
             if f.__module__ == charts.__name__ and not name.startswith("_") and "alt." in str(inspect.signature(f).return_annotation)}
    assert built == {n for n in BUILDERS if "." not in n}


@pytest.mark.parametrize("language", ["fr", "zh"])
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_chart_says_its_own_words_in_the_language_shown(name, language):
    def words() -> str:
        chart = BUILDERS[name]()
        return chart if isinstance(chart, str) else "\n".join(shown_words(charts.chart_spec(chart)))

    with using("en"):
        english = words()
    with using(language):
        spec = words()
    left = english_left(spec, language)
    assert not left, f"{name} in {language}: English left: {left}"
    if language == "zh" and name not in NO_WORDS:
        assert spec != english, f"{name}: its own words are the same in English and Chinese"


def test_the_check_sees_a_chart_left_in_english():
    """Not blind: the English blueprint and curve fail the French check."""
    with using("en"):
        english = "\n".join(shown_words(charts.chart_spec(charts.service_blueprint(_journey()))) + shown_words(charts.chart_spec(charts.emotion_curve(_journey()))))
    assert {"Support processes", "line of visibility", "The client's emotion along the journey", "moment of truth"} <= set(english_left(english, "fr"))


# builders whose every word comes from their caller (titles, axes, legends passed in): nothing of their own to check
NO_WORDS = {"servuction_triangle", "category_counts", "timeline_chart", "ipa_chart", "classification_chart"}
