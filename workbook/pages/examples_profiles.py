"""Worked examples of the manager-profile instrument and 360 feedback, from the fixed demo data in
``datasets/`` (no database). Module 3's notebook prints them; nbval checks the output."""
from __future__ import annotations

from ..cohort_stats import instrument_stats, stats_text
from ..content import catalogue
from ..demo import answers_by_trainee, read_demo, read_demo_360
from ..feedback360 import RaterResponse, compare
from ..results360 import feedback_text, profile_text
from ..settings import get_settings

INSTRUMENT = "manager_profile"


def demo_profiles_text() -> str:
    """Each demo trainee's placement between the two profiles."""
    inst = catalogue().instrument(INSTRUMENT)
    module = catalogue().module("m03")
    spec = next(e.model_extra for e in module.exercises if e.type == "profile_result")
    cohort, answers = read_demo()
    per = answers_by_trainee(answers, INSTRUMENT)
    return "\n".join(f"{cohort.trainees[n - 1]:<16} {profile_text(inst, a, spec)}" for n, a in sorted(per.items()))


def demo_360_text(trainee: int = 1, seed: int = 0) -> str:
    """The demo 360 comparison of one trainee under the default anonymity rules."""
    inst = catalogue().instrument(INSTRUMENT)
    st = get_settings()
    cohort, answers = read_demo()
    self_answers = answers_by_trainee(answers, INSTRUMENT).get(trainee, {})
    raters: dict[int, RaterResponse] = {}
    for row in read_demo_360():
        if row["trainee"] != trainee:
            continue
        r = raters.setdefault(row["rater"], RaterResponse(row["category"], {}, ""))
        if row["item"] == "_comment":
            raters[row["rater"]] = RaterResponse(r.category, r.answers, str(row["value"]))
        else:
            r.answers[row["item"]] = row["value"]
    fb = compare(inst, self_answers, list(raters.values()), st.anonymity_threshold, st.blind_spot_gap, st.manager_shown_alone, seed=seed)
    head = f"360 feedback on {cohort.trainees[trainee - 1]} ({len(raters)} raters; groups under {st.anonymity_threshold} hidden)"
    comments = "\n".join(f"  - {c}" for c in fb.comments)
    return f"{head}\n{feedback_text(fb)}\nComments:\n{comments}"


def demo_reliability_text() -> str:
    """Cronbach's alpha and item statistics of the instrument on the demo cohort."""
    inst = catalogue().instrument(INSTRUMENT)
    _cohort, answers = read_demo()
    stats = instrument_stats(inst, answers_by_trainee(answers, INSTRUMENT), get_settings().anonymity_threshold)
    return stats_text(stats, inst)
