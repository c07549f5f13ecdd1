"""Module 3's worked example (Sam Keller's profile and 360 in the Nordfrost case, the workbook's own)
and the instrument's reliability on the demo cohort, from ``datasets/`` (no database). Module 3's
notebook shows them (``worked_example``: redrawn in the person's language); nbval checks the English output."""
from __future__ import annotations

from workbook.analysis.cohort_statistics import instrument_stats, stats_text
from workbook.analysis.person_360 import feedback_text, profile_text
from workbook.content.catalogue import catalogue
from workbook.domain.feedback360 import RaterResponse, compare
from workbook.errors import ContentError
from workbook.i18n import _
from workbook.settings import get_settings
from workbook.store.demo import answers_by_trainee, read_demo

INSTRUMENT = "manager_profile"


def _spec() -> dict:
    module = catalogue().module("m03")
    return next(e.model_extra for e in module.exercises if e.type == "profile_result")


def case_feedback(seed: int = 0):
    """The 360 comparison of Sam Keller (the Nordfrost case) under the default anonymity rules."""
    from workbook.content.case import load_case

    inst = catalogue().instrument(INSTRUMENT)
    st = get_settings()
    c = load_case().m03
    raters = [RaterResponse(r.category, dict(r.answers), r.comment) for r in c.raters]
    return compare(inst, dict(c.self_answers), raters, st.anonymity_threshold, st.blind_spot_gap, st.manager_shown_alone, seed=seed,
                   comment_threshold=st.comment_threshold)


def case_profile_text(seed: int = 0) -> str:
    """Module 3 worked example: Sam Keller's place between the profiles, how his raters see him, and the routes he chose."""
    from workbook.content.case import load_case

    inst = catalogue().instrument(INSTRUMENT)
    st = get_settings()
    case = load_case()
    c = case.m03
    fb = case_feedback(seed)
    routes = {o["id"]: o["label"] for e in catalogue().module("m03").exercises if e.type == "choice" for o in (e.model_extra or {}).get("options", [])}
    unknown = [r for r in c.routes if r not in routes]
    if unknown:
        raise ContentError(f"case_nordfrost.yaml: m03.routes: {', '.join(unknown)} not a development route of Module 3")
    comments = "\n".join(f"  - {x}" for x in fb.comments)
    return "\n".join([
        _("{manager} ({provider}, {client} account), self-assessment: {profile}").format(
            manager=case.manager, provider=case.provider, client=case.client, profile=profile_text(inst, dict(c.self_answers), _spec())),
        _("360 feedback ({raters} raters; groups under {threshold} hidden):").format(raters=len(c.raters), threshold=st.anonymity_threshold),
        feedback_text(fb),
        _("Comments (shown groups only, unattributed):"),
        comments,
        _("Routes chosen: {routes}. {note}").format(routes=", ".join(routes[r] for r in c.routes), note=c.route_note),
    ])


def demo_reliability_text() -> str:
    """Cronbach's alpha and item statistics of the instrument on the demo cohort."""
    inst = catalogue().instrument(INSTRUMENT)
    _cohort, answers = read_demo()
    stats = instrument_stats(inst, answers_by_trainee(answers, INSTRUMENT), get_settings().anonymity_threshold)
    return stats_text(stats, inst)
