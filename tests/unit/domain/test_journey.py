"""Journey maps: the pure model and its operations, CSV in and out, and persistence in the store."""
from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook.domain import journey as J
from workbook.errors import AccessDenied, ImportFormatError, InvalidAnswer, NotFound

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "datasets" / "journey_example.csv"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def example() -> J.JourneyMap:
    return J.import_csv(EXAMPLE.read_text(encoding="utf-8"))


def full_touchpoint(**over) -> dict:
    """A touchpoint with every field set away from its default."""
    data = dict(
        name="Night breakdown ☃", client_actors=["Night supervisor", "Line operator"],
        provider_actors=[{"role": "On-call technician", "side": "front_line"}, {"role": "Parts logistics", "side": "back_office"}],
        channel="phone", location="client_site", client_action="Calls the hotline", frontstage="Technician arrives",
        backstage="Spare part shipped", support="24/7 stock", element="outcome", emotion=-2, pain_point=HOSTILE,
        opportunity="=SUM(A1:A9) recognise the caller", moment_of_truth=True, control="my_team",
    )
    data.update(over)
    return data


def test_default_map_has_the_b2b_stages():
    m = J.new_map("Client X")
    assert [s.name for s in m.stages] == list(J.DEFAULT_STAGES)
    assert J.DEFAULT_STAGES[0] == "First contact" and J.DEFAULT_STAGES[-1] == "Renewal / next opportunity"
    assert len(J.DEFAULT_STAGES) == 8


def test_every_field_is_validated_with_its_name():
    m = J.new_map("X")
    sid = m.stages[0].id
    for bad, field in [({"emotion": 3}, "emotion"), ({"location": "moon"}, "location"), ({"control": "boss"}, "control"),
                       ({"element": "both"}, "element"), ({"channel": "pigeon"}, "channel"), ({"name": ""}, "name")]:
        with pytest.raises(InvalidAnswer, match=field):
            J.add_touchpoint(m, sid, **full_touchpoint(**bad))


def test_reorder_and_delete_keep_the_rest_intact():
    m = example()
    before = {t.id: t for _s, t in m.touchpoints()}
    onsite = m.stage("s_onsite")
    assert [t.id for t in onsite.touchpoints] == ["t09", "t10", "t11"]
    moved = J.move_touchpoint(m, "t11", 0)
    assert [t.id for t in moved.stage("s_onsite").touchpoints] == ["t11", "t09", "t10"]
    assert {t.id: t for _s, t in moved.touchpoints()} == before  # same touchpoints, same content
    assert [s.id for s in moved.stages] == [s.id for s in m.stages]

    across = J.move_touchpoint(m, "t11", 1, stage_id="s_contact")
    assert [t.id for t in across.stage("s_contact").touchpoints] == ["t01", "t11", "t02"]
    assert [t.id for t in across.stage("s_onsite").touchpoints] == ["t09", "t10"]

    stage_moved = J.move_stage(m, "s_renewal", 0)
    assert [s.id for s in stage_moved.stages] == ["s_renewal"] + [s.id for s in m.stages[:-1]]
    assert stage_moved.stage("s_renewal") == m.stage("s_renewal")

    deleted = J.delete_touchpoint(m, "t10")
    assert [t.id for t in deleted.stage("s_onsite").touchpoints] == ["t09", "t11"]
    rest = {k: v for k, v in before.items() if k != "t10"}
    assert {t.id: t for _s, t in deleted.touchpoints()} == rest

    no_stage = J.delete_stage(m, "s_review")
    assert "s_review" not in [s.id for s in no_stage.stages]
    assert [s for s in no_stage.stages] == [s for s in m.stages if s.id != "s_review"]
    with pytest.raises(NotFound):
        J.delete_touchpoint(m, "nope")


def test_edit_changes_only_the_named_fields():
    m = example()
    new = J.edit_touchpoint(m, "t10", emotion=1, pain_point="")
    t_old, t_new = m.touchpoint("t10"), new.touchpoint("t10")
    assert (t_new.emotion, t_new.pain_point) == (1, "")
    assert t_new.model_dump(exclude={"emotion", "pain_point"}) == t_old.model_dump(exclude={"emotion", "pain_point"})
    assert [t for _s, t in new.touchpoints() if t.id != "t10"] == [t for _s, t in m.touchpoints() if t.id != "t10"]
    with pytest.raises(InvalidAnswer, match="id"):
        J.edit_touchpoint(m, "t10", id="t99")


def test_duplicate_and_compare():
    m = example()
    copy = J.duplicate_map(m, variant="to_be")
    assert copy.id != m.id and copy.variant == "to_be" and copy.stages == m.stages
    assert J.compare(m, copy) == []
    after = J.edit_touchpoint(copy, "t10", emotion=0)
    after = J.delete_touchpoint(after, "t13")
    after = J.add_touchpoint(after, "s_review", name="Joint site walk", emotion=2)
    changes = {(c.kind, c.touchpoint): c.detail for c in J.compare(m, after)}
    assert changes[("changed", "Emergency breakdown, night shift")] == "emotion: -2 → 0"
    assert ("removed", "Monthly invoice") in changes
    assert changes[("added", "Joint site walk")] == "emotion +2"
    frame = J.compare_frame([m, after])
    onsite = frame[frame["stage"] == "Delivery on the client's site"].set_index("map")["emotion"]
    assert list(onsite.round(2)) == [round((1 - 2 - 1) / 3, 2), round((1 + 0 - 1) / 3, 2)]


def test_action_list_keeps_what_i_and_my_team_control():
    m = example()
    items = J.action_list(m)
    touchpoints = {t.name: t for _s, t in m.touchpoints()}
    assert items, "the example has controlled pain points"
    for i in items:
        assert touchpoints[i.touchpoint].control in ("me", "my_team")
    expected = sum(bool(t.pain_point) + t.moment_of_truth for t in touchpoints.values() if t.control in ("me", "my_team"))
    assert len(items) == expected
    # another department's pain points (tender portal, invoice) are not on the action list
    assert not any(i.touchpoint in ("Tender submission", "Monthly invoice") for i in items)
    others = J.action_list(m, controls=("other_department",))
    assert {i.touchpoint for i in others} >= {"Tender submission", "Monthly invoice"}


# ------------------------------------------------------------------------------ CSV

def test_csv_export_import_gives_the_same_map():
    m = example()
    m = J.add_stage(m, "Empty stage")
    m = J.add_touchpoint(m, "s_contact", **full_touchpoint())
    text = J.export_csv(m)
    assert J.import_csv(text) == m
    assert J.import_csv(text.encode("utf-8")) == m
    assert J.export_csv(J.import_csv(text)) == text


def test_csv_neutralises_spreadsheet_formulas_and_round_trips_them():
    m = J.new_map("F")
    m = J.add_touchpoint(m, m.stages[0].id, **full_touchpoint(name="=HYPERLINK(\"http://evil\")", pain_point="'=already quoted", support="@SUM(1)"))
    rows = list(csv.DictReader(io.StringIO(J.export_csv(m))))
    tp = [r for r in rows if r["touchpoint"]][0]
    assert tp["touchpoint"].startswith("'=") and tp["support"].startswith("'@") and tp["pain_point"].startswith("''=")
    assert J.import_csv(J.export_csv(m)) == m


def _bad(text: str, row: int, column: str) -> str:
    with pytest.raises(ImportFormatError) as exc:
        J.import_csv(text)
    msg = str(exc.value)
    assert f"row {row}, column {column}:" in msg, msg
    assert "nothing imported" in msg and "\n" not in msg
    return msg


def _mutate(text: str, row: int, column: str, value: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    rows[row - 1][list(J.COLUMNS).index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


@pytest.mark.parametrize("column, value, reason", [
    ("emotion", "3", "not a whole number from -2 to 2"),
    ("emotion", "1.5", "not a whole number"),
    ("location", "the moon", "is not one of client_site"),
    ("control", "my boss", "is not one of me"),
    ("element", "", "is not one of process"),
    ("moment_of_truth", "maybe", "is not yes or no"),
    ("provider_actors", "Site engineer", "must look like 'front: Site engineer'"),
    ("touchpoint", "", "every touchpoint needs a name"),
    ("map_title", "Another map", "one file holds one map"),
    ("stage", "", "name the stage"),
    ("touchpoint_id", "t01", "is used in row 2 already"),
])
def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(column, value, reason):
    text = _mutate(J.export_csv(example()), 7, column, value)
    assert reason in _bad(text, 7, column)


def test_every_bad_row_is_listed():
    text = _mutate(_mutate(J.export_csv(example()), 3, "emotion", "9"), 12, "location", "mars")
    with pytest.raises(ImportFormatError) as exc:
        J.import_csv(text)
    assert [(r, c) for r, c, _w in exc.value.problems] == [(3, "emotion"), (12, "location")]


def test_header_and_encoding_problems_are_named():
    good = J.export_csv(example())
    assert "missing column(s) emotion" in _bad(good.replace(",emotion,", ",feeling,", 1), 1, "header")
    with pytest.raises(ImportFormatError, match="not UTF-8"):
        J.import_csv(b"map_title\n" + b"\xff\xfe bad")
    with pytest.raises(ImportFormatError, match="empty"):
        J.import_csv("")
    short = good.splitlines()
    short[4] = ",".join(short[4].split(",")[:5])
    _bad("\r\n".join(short), 5, "file")


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
_role = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=";\x00"), min_size=1, max_size=20).filter(lambda s: s.strip())


@st.composite
def maps(draw) -> J.JourneyMap:
    m = J.new_map(draw(_text.filter(lambda s: s.strip()) | st.just("M")), client=draw(_text), stages=[])
    for _ in range(draw(st.integers(0, 3))):
        m = J.add_stage(m, draw(_role))
        for _ in range(draw(st.integers(0, 3))):
            m = J.add_touchpoint(
                m, m.stages[-1].id, name=draw(_role), client_actors=draw(st.lists(_role, max_size=3)),
                provider_actors=[{"role": r, "side": s} for r, s in draw(st.lists(st.tuples(_role, st.sampled_from(J.SIDES)), max_size=3))],
                channel=draw(st.sampled_from(J.CHANNELS)), location=draw(st.sampled_from(J.LOCATIONS)), client_action=draw(_text),
                frontstage=draw(_text), backstage=draw(_text), support=draw(_text), element=draw(st.sampled_from(J.ELEMENTS)),
                emotion=draw(st.integers(-2, 2)), pain_point=draw(_text), opportunity=draw(_text),
                moment_of_truth=draw(st.booleans()), control=draw(st.sampled_from(J.CONTROLS)),
            )
    return m


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_any_map_survives_csv(m):
    assert J.import_csv(J.export_csv(m)) == m


_BAD_CELLS = {
    "emotion": st.sampled_from(["3", "-3", "x", "1.0", "++1", "² "]),
    "location": st.text(min_size=1, max_size=10).filter(lambda s: s.strip() not in J.LOCATIONS),
    "channel": st.text(min_size=1, max_size=10).filter(lambda s: s.strip() not in J.CHANNELS),
    "control": st.text(max_size=10).filter(lambda s: s.strip() not in J.CONTROLS),
    "element": st.text(max_size=10).filter(lambda s: s.strip() not in J.ELEMENTS),
    "moment_of_truth": st.sampled_from(["maybe", "oui", "2", "yes please"]),
    "provider_actors": st.sampled_from(["Engineer", "side: x", "front:", "front: a; nope"]),
    "stage_id": st.sampled_from(["has space", "é", "a/b"]),
}


@settings(max_examples=80, deadline=None)
@given(row=st.integers(2, 17), data=st.data())
def test_any_single_bad_cell_is_refused_with_its_row_and_column(row, data):
    column = data.draw(st.sampled_from(sorted(_BAD_CELLS)))
    value = data.draw(_BAD_CELLS[column])
    if "\n" in value or "\r" in value:
        return
    text = _mutate(J.export_csv(example()), row, column, value)
    with pytest.raises(ImportFormatError) as exc:
        J.import_csv(text)
    assert (row, column) in [(r, c) for r, c, _w in exc.value.problems], str(exc.value)


# ------------------------------------------------------------------------------ store

def test_every_field_round_trips_through_the_store(db, cohort):
    from workbook.store import Database, get_map, list_maps, save_map

    ann = cohort["ident"]["Ann"]
    pid = cohort["people"]["Ann"]["id"]
    m = J.add_touchpoint(example(), "s_onsite", **full_touchpoint())
    m = J.edit_map(m, client=HOSTILE, variant="to_be")
    save_map(db, ann, pid, m, "test")
    again = Database(db.url)  # a second connection: what is on disk, not in memory
    assert get_map(again, ann, pid, m.id) == m
    assert list_maps(again, ann, pid) == [m]
    tp = get_map(again, ann, pid, m.id).stage("s_onsite").touchpoints[-1]
    assert tp.model_dump(exclude={"id"}) == J.Touchpoint(**full_touchpoint()).model_dump(exclude={"id"})
    again.dispose()


def test_several_maps_per_person_each_change_a_new_row_and_undo(db, cohort):
    from workbook.store import answer_history, can_undo, delete_map, get_map, list_maps, save_map, undo_map

    ann, pid = cohort["ident"]["Ann"], cohort["people"]["Ann"]["id"]
    a = example()
    b = J.new_map("Second client")
    save_map(db, ann, pid, a)
    save_map(db, ann, pid, b)
    a2 = J.delete_touchpoint(a, "t01")
    save_map(db, ann, pid, a2)
    assert [m.id for m in list_maps(db, ann, pid)] == [b.id, a.id]  # most recently changed last
    assert get_map(db, ann, pid, a.id) == a2
    assert len(answer_history(db, ann, pid, "journey")) == 3  # append-only: nothing overwritten
    assert undo_map(db, ann, pid, a.id) == a
    assert get_map(db, ann, pid, a.id) == a
    assert not can_undo(db, ann, pid, a.id)
    with pytest.raises(InvalidAnswer, match="nothing to undo"):
        undo_map(db, ann, pid, a.id)
    delete_map(db, ann, pid, b.id)
    assert [m.id for m in list_maps(db, ann, pid)] == [a.id]
    with pytest.raises(NotFound):
        get_map(db, ann, pid, b.id)
    assert undo_map(db, ann, pid, b.id) == b  # undo brings a deleted map back
    assert {m.id for m in list_maps(db, ann, pid)} == {a.id, b.id}
    assert len(answer_history(db, ann, pid, "journey")) == 6


def test_maps_are_private_to_their_owner_and_their_cohort_staff(db, cohort):
    from workbook.store import list_maps, person_actions, save_map

    ann, ben, coach = cohort["ident"]["Ann"], cohort["ident"]["Ben"], cohort["ident"]["Coach C"]
    pid = cohort["people"]["Ann"]["id"]
    save_map(db, ann, pid, example())
    with pytest.raises(AccessDenied):
        list_maps(db, ben, pid)
    with pytest.raises(AccessDenied):
        save_map(db, ben, pid, J.new_map("not mine"))
    actions = person_actions(db, coach, pid)  # the coaching module reads the action list
    assert actions and all(title == "Maintenance contract, Nordfrost plant" for title, _i in actions)
    assert [i for _t, i in actions] == J.action_list(example())


def test_demo_cohort_starts_with_the_worked_example(db):
    from workbook.auth.identity import Identity
    from workbook.store import cohort_by_name, list_maps, list_people
    from workbook.store.demo import DEMO_MAP_TRAINEES, build_demo

    result = build_demo(db)
    admin = Identity.admin()
    trainees = list_people(db, admin, cohort_by_name(db, result["cohort"]), role="trainee")
    for n, person in enumerate(trainees, 1):
        maps = list_maps(db, admin, person.id)
        assert (maps == [example()]) == (n in DEMO_MAP_TRAINEES)


# ------------------------------------------------------------------------------ views

def test_charts_show_every_touchpoint_escaped():
    from workbook.render.charts import emotion_curve, service_blueprint, to_png, to_svg

    m = J.add_touchpoint(example(), "s_contact", **full_touchpoint(name="<script>alert(1)</script>", client_action=HOSTILE, frontstage=HOSTILE))
    frame = J.touchpoints_frame(m)
    curve = to_svg(emotion_curve(frame))
    for _s, t in example().touchpoints():
        assert html.escape(t.name, quote=False) in curve, t.name
    assert "moment of truth" in curve and "outcome" in curve and "process" in curve
    diamonds = re.findall(r'd="M-([\d.]+),0L0,-\1L\1,0L0,\1Z"', curve)
    assert len(diamonds) == sum(t.moment_of_truth for _s, t in m.touchpoints()) + 1  # one per moment of truth, one in the legend
    blueprint = to_svg(service_blueprint(frame))
    for lane in ("Client actions", "Front stage (visible)", "Back stage (invisible)", "Support processes",
                 "line of interaction", "line of visibility", "line of internal interaction"):
        assert lane in blueprint
    for svg in (curve, blueprint):
        assert "<script" not in svg and "<img" not in svg
        assert "&lt;script" in svg
    assert to_png(emotion_curve(frame)).startswith(b"\x89PNG")


def test_an_export_draws_a_chart_once_for_its_svg_and_its_png(monkeypatch):
    import vl_convert as vlc

    from workbook.render.charts import emotion_curve, to_png, to_svg, to_svg_and_png

    frame = J.touchpoints_frame(example()).head(4)
    apart = (to_svg(emotion_curve(frame)), to_png(emotion_curve(frame), scale=1.5))
    drawn = []
    for name in ("vegalite_to_svg", "vegalite_to_png"):
        real = getattr(vlc, name)
        monkeypatch.setattr(vlc, name, lambda spec, *a, _real=real, _name=name, **k: drawn.append(_name) or _real(spec, *a, **k))
    assert to_svg_and_png(emotion_curve(frame), scale=1.5) == apart  # the same SVG, the same PNG bytes
    assert drawn == ["vegalite_to_svg"]


def test_summary_and_compare_html_escape_person_text():
    from workbook.ui.widgets.journey_editor import compare_html, summary_html

    m = J.add_touchpoint(example(), "s_contact", **full_touchpoint(name=HOSTILE))
    m = J.edit_map(m, title=HOSTILE)
    after = J.edit_touchpoint(m, m.stage("s_contact").touchpoints[-1].id, pain_point=HOSTILE + "!")
    for out in (summary_html(m), compare_html(m, after)):
        assert "<script" not in out and "<img" not in out and "&lt;script&gt;" in out


def test_salesforce_figures_are_exact_and_cited():
    from workbook.content.catalogue import catalogue
    from workbook.ui.pages.figures import salesforce_frame, salesforce_html

    frame = salesforce_frame()
    pairs = [tuple(g.set_index("population")["percent"][["B2B", "B2C"]]) for _s, g in frame.groupby("statement", sort=False)]
    assert pairs == [(89, 84), (82, 59), (82, 69)]
    svg = salesforce_html()
    assert all(f">{who} {n}<" in svg for who, n in (("B2B", 89), ("B2C", 84), ("B2B", 82), ("B2C", 59), ("B2C", 69))) and "Mathieu" in svg and "§2.2.2.2" in svg
    m5 = catalogue().module("m05")
    figures = [s for s in m5.sections if s.figure == "salesforce_2019"]
    assert figures and figures[0].source == "mathieu-2.2.2.2"
    for n in ("89%", "84%", "82%", "59%", "69%"):
        assert n in figures[0].text


def test_module5_covers_c7_to_c11_cites_the_seed_and_copies_no_run_of_12_words():
    from workbook.content.catalogue import catalogue

    m5 = catalogue().module("m05")
    assert m5.concepts == ["C7", "C8", "C9", "C10", "C11"]
    assert "mathieu-2.2.2.2" in m5.sources
    assert [e.type for e in m5.exercises] == ["journey_map"]

    def words(t: str) -> list[str]:
        return re.findall(r"\w+", t.lower())

    seeds = [words(p.read_text(encoding="utf-8")) for p in (ROOT.parent / "shared" / "seeds").glob("0*.txt")] if (ROOT.parent / "shared" / "seeds").is_dir() else []
    runs = {tuple(s[i:i + 12]) for s in seeds for i in range(len(s) - 11)}
    texts = [s.text for s in m5.sections] + list(m5.objectives) + [m5.takeaway]
    for t in texts:
        w = words(t)
        assert not [w[i:i + 12] for i in range(len(w) - 11) if tuple(w[i:i + 12]) in runs]


def test_teaching_figure_svg_is_cached_by_spec(settings_env):
    from workbook.render.charts import experience_survey, labelled_svg, text_alternative, to_svg, to_svg_cached
    from workbook.ui.pages.figures import salesforce_frame

    frame = salesforce_frame()
    fresh = to_svg(experience_survey(frame))
    assert to_svg_cached(experience_survey(frame)) == fresh
    files = list((settings_env / "cache" / "svg").glob("*.svg"))
    assert len(files) == 1
    files[0].write_text("<svg>from the cache</svg>")  # a later kernel reads the file, not vl-convert
    # (given its text alternative on the way out: a file cached before the labels gets it too)
    assert to_svg_cached(experience_survey(frame)) == labelled_svg("<svg>from the cache</svg>", text_alternative(experience_survey(frame).to_dict()))
    changed = frame.assign(percent=frame["percent"].where(frame["percent"] != 89, 88))
    assert ">B2B 88<" in to_svg_cached(experience_survey(changed))  # other data, other key
    assert len(list((settings_env / "cache" / "svg").glob("*.svg"))) == 2
