"""Hostile input: free text stored as typed and shown inert; access codes; every store function
refuses other people's data; malformed imports refused whole in one line."""
from __future__ import annotations

import hashlib
import hmac
import inspect
import json
import logging
import unicodedata
from datetime import timedelta

import ipywidgets as widgets
import pytest
from hostile_html import assert_inert
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from widget_tools import walk

import workbook.store as store
from workbook.auth.identity import Identity
from workbook.content.yaml_text import load_yaml
from workbook.domain.journey import new_map
from workbook.errors import AccessDenied, ContentError, ImportFormatError, InvalidAnswer, WorkbookError
from workbook.settings import Settings as WorkbookSettings
from workbook.store import AccessCodeAuthenticator, Database, create_cohort, current_answers, invite, save_answer
from workbook.store.models import Base, Rater, SigninFailure, utcnow

ADMIN = Identity.admin()
LONGEST = WorkbookSettings().max_text_chars  # the longest free text the workbook takes

PAYLOADS = {
    "script": '<script>document.title="PWNED";window.__pwned=1</script>',
    "img-onerror": '<img src=x onerror="window.__pwned=1">',
    "javascript-link": '<a href="javascript:window.__pwned=1">click me</a> javascript:window.__pwned=1',
    "markdown": "**bold** _it_ [link](javascript:window.__pwned=1) ![i](x) `code`\n# Heading\n- item",
    "raw-html": '<b>bold</b><iframe src="//evil.example"></iframe><style>*{display:none}</style><div onclick="x()">d</div>',
    "attribute-break": '"><svg onload="window.__pwned=1"> \' onmouseover=\'window.__pwned=1',
    "nul-bytes": "before\x00after\x00\x00end",
    "right-to-left": "\u202egnp.exe\u202c \u200fשלום\u200f \u2067isolate\u2069 mixed العربية",
    "templates": "{{7*7}} ${7*7} %s %(x)s {0} <%= 7*7 %>",
    "longest-allowed": ("ü<script>" * (LONGEST // 10 + 1))[:LONGEST],
}


# ---------------------------------------------------------------- helpers

def make_cohort(db: Database, name: str, trainees=("Ann", "Ben")) -> dict:
    cid = create_cohort(db, ADMIN, name)
    people = {}
    for pname, role in [(f"Coach of {name}", "coach"), (f"HR of {name}", "hr")] + [(t, "trainee") for t in trainees]:
        pid, code = invite(db, ADMIN, cid, pname, role)
        people[pname] = {"id": pid, "code": code}
    auth = AccessCodeAuthenticator(db)
    return {"id": cid, "people": people, "ident": {n: auth.authenticate(p["code"], source="setup") for n, p in people.items()}}


def snapshot(db: Database) -> dict:
    """Every row of every table (ids included): 'the database is unchanged' means equal snapshots."""
    out = {}
    with db.session() as s:
        for table in Base.metadata.sorted_tables:
            rows = s.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


# ---------------------------------------------------------------- stored as typed

def _round_trip(db: Database) -> None:
    c = make_cohort(db, "Hostile")
    ann = c["ident"]["Ann"]
    for name, text in PAYLOADS.items():
        save_answer(db, ann, ann.person_id, "m01", "reflection", "text", text)
        got = current_answers(db, ann, ann.person_id, "reflection")["text"]
        assert got == text, f"{name}: stored {len(got)} characters, typed {len(text)}"
    # over the limit: refused in one line naming the place and the limit; the last answer stays
    with pytest.raises(InvalidAnswer) as exc:
        save_answer(db, ann, ann.person_id, "m01", "reflection", "text", "x" * (db.settings.max_text_chars + 2000))
    assert "\n" not in str(exc.value) and "reflection/text" in str(exc.value) and f"the limit is {LONGEST:,}" in str(exc.value)
    assert current_answers(db, ann, ann.person_id, "reflection")["text"] == PAYLOADS["longest-allowed"]


def test_free_text_round_trips_exactly_through_sqlite(db):
    _round_trip(db)


@pytest.mark.slow
def test_free_text_round_trips_exactly_through_postgres(pg, settings_env):
    _round_trip(Database(pg.create_database("hostile")))


def test_free_text_round_trips_through_export_and_import(db, settings_env, tmp_path):
    from workbook.store.transfer import export_cohort, import_cohort

    c = make_cohort(db, "Hostile")
    ann = c["ident"]["Ann"]
    for text in PAYLOADS.values():
        save_answer(db, ann, ann.person_id, "m01", "reflection", "text", text)
    doc = export_cohort(db, ADMIN, "Hostile")
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    import_cohort(other, ADMIN, json.dumps(doc, ensure_ascii=False))
    again = export_cohort(other, ADMIN, "Hostile")
    assert again == doc
    assert [a["value"] for a in again["answers"]] == list(PAYLOADS.values())


# ---------------------------------------------------------------- shown inert

@pytest.mark.parametrize("name", PAYLOADS)
def test_status_line_and_safe_show_text_inert(name):
    from workbook.render.html import esc
    from workbook.ui.widgets.common import StatusLine, safe

    text = PAYLOADS[name]
    line = StatusLine()
    for show in (line.ok, line.warn, line.error):
        show(text)
        assert_inert(line.value)
        assert esc(text) in line.value

    @safe(line)
    def fails():
        raise WorkbookError(f"the answer {text} was refused")

    fails()
    assert_inert(line.value)
    assert esc(text) in line.value


@pytest.mark.parametrize("name", PAYLOADS)
def test_teaching_markdown_escapes_raw_html_and_defuses_links(name):
    from workbook.render.html import markdown_html

    assert_inert(markdown_html(PAYLOADS[name]), allowed_tags={"img"})  # teaching Markdown may show an image; never a handler or script URL


@pytest.mark.parametrize("name", [n for n in PAYLOADS if n != "longest-allowed"])
def test_names_are_shown_inert_on_staff_home_and_sign_in(db, name):
    """Person names are free text typed by a coach: every page that shows one escapes it."""
    from workbook.ui.pages.coach import progress_matrix_html
    from workbook.ui.pages.home import _body as home_body
    from workbook.ui.pages.hr import _hr_body
    from workbook.ui.widgets.signin import SignIn

    # a name may not hold control characters (NUL, newline: refused at invite); the rest stays
    hostile = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in PAYLOADS[name])[:200].strip()
    c = make_cohort(db, "Names", trainees=(hostile, "Ben"))
    coach, hr = c["ident"]["Coach of Names"], c["ident"]["HR of Names"]
    me = c["ident"][hostile]
    save_answer(db, me, me.person_id, "m01", "reflection", "text", PAYLOADS[name])
    matrix = progress_matrix_html(db, coach)
    assert_inert(matrix)
    assert matrix.count("<tr>") == 3  # header + two trainees: no row injected
    for widget in _hr_body(db, hr) + home_body(db, me):
        if isinstance(widget, widgets.HTML):
            assert_inert(widget.value)
    got = []
    box = SignIn(AccessCodeAuthenticator(db), got.append, source="test")
    box.code.value = c["people"][hostile]["code"]
    assert got == [me]
    assert_inert(box.who.value)
    assert box.code.value == ""  # the code does not stay in the widget's state


def test_module_page_shows_saved_hostile_text_only_as_a_widget_value(db):
    """The reflection comes back into a Textarea's value (text, never HTML); no HTML part holds it."""
    from workbook.ui.pages.module import module_page

    c = make_cohort(db, "Page")
    ann = c["ident"]["Ann"]
    text = PAYLOADS["script"] + PAYLOADS["img-onerror"]
    save_answer(db, ann, ann.person_id, "m01", "reflection", "text", text)
    page = module_page("m01", db=db)
    page.signin.code.value = c["people"]["Ann"]["code"]

    parts = list(walk(page))
    areas = [w for w in parts if isinstance(w, widgets.Textarea)]
    assert [a.value for a in areas].count(text) == 1  # the reflection's box, and no other
    for w in parts:
        if isinstance(w, widgets.HTML) and not w.value.startswith("<style>"):
            assert_inert(w.value, allowed_tags={"svg"} if "<svg" in w.value and "wb-" in w.value else set())
            assert "window.__pwned" not in w.value


# ---------------------------------------------------------------- access codes

def test_wrong_codes_slowed_per_source_even_for_different_codes(db):
    c = make_cohort(db, "Codes")
    auth = AccessCodeAuthenticator(db)
    good = c["people"]["Ann"]["code"]
    for n in range(db.settings.signin_max_failures):
        with pytest.raises(AccessDenied, match="not valid"):
            auth.authenticate(f"{n:05d}-00000-00000".replace("0", "Z", 1), source="page-1")  # a new code each time
    with pytest.raises(AccessDenied, match="too many wrong codes"):
        auth.authenticate(good, source="page-1")
    with pytest.raises(AccessDenied, match="too many wrong codes"):
        auth.authenticate("garbage", source="page-1")
    assert auth.authenticate(good, source="page-2").name == "Ann"  # another page is not punished


def test_wrong_codes_slowed_per_address_across_pages(db):
    """An attacker opening a new page for every few guesses is still slowed down by address;
    the address limit is higher (a room behind one NAT shares it) and other addresses are free."""
    c = make_cohort(db, "Codes")
    auth = AccessCodeAuthenticator(db)
    good = c["people"]["Ann"]["code"]
    per_page, per_address = db.settings.signin_max_failures, db.settings.signin_max_failures_per_address
    assert per_address > per_page
    for n in range(per_address):
        page = f"page-{n // (per_page - 1)}"  # never enough on one page to lock that page
        with pytest.raises(AccessDenied, match="not valid"):
            auth.authenticate(f"Q{n:04d}-00000-00000", source=[page, "addr:10.0.0.7"])
    with pytest.raises(AccessDenied, match="too many wrong codes"):
        auth.authenticate(good, source=["a-fresh-page", "addr:10.0.0.7"])
    assert auth.authenticate(good, source=["a-fresh-page", "addr:10.0.0.8"]).name == "Ann"
    with db.session() as s:
        keys = {k for (k,) in s.execute(select(SigninFailure.key))}
    assert "addr:10.0.0.7" in keys and "src:addr:10.0.0.7" not in keys


def test_signing_in_with_ones_own_code_does_not_reset_the_guess_count(db):
    c = make_cohort(db, "Codes")
    auth = AccessCodeAuthenticator(db)
    mine = c["people"]["Ben"]["code"]
    limit = db.settings.signin_max_failures
    for n in range(limit - 1):
        with pytest.raises(AccessDenied):
            auth.authenticate(f"QQQQ{n}-00000-00000", source="attacker")
    assert auth.authenticate(mine, source="attacker").name == "Ben"
    with pytest.raises(AccessDenied, match="not valid"):
        auth.authenticate("RRRRR-00000-00000", source="attacker")
    with pytest.raises(AccessDenied, match="too many wrong codes"):
        auth.authenticate("SSSSS-00000-00000", source="attacker")


def test_old_failures_are_forgotten(db):
    from datetime import timedelta

    from workbook.store.models import utcnow

    auth = AccessCodeAuthenticator(db)
    with db.session() as s:
        for _ in range(50):
            s.add(SigninFailure(key="src:long-ago", at=utcnow() - timedelta(days=3)))
    with pytest.raises(AccessDenied):
        auth.authenticate("AAAAA-BBBBB-CCCCC", source="now")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SigninFailure).where(SigninFailure.key == "src:long-ago")) == 0


def test_every_path_costs_one_scrypt_and_compares_in_constant_time(db, monkeypatch):
    """Unknown code, revoked code, wrong secret and right code do the same work: one scrypt each,
    and the real comparison goes through hmac.compare_digest."""
    import workbook.auth.identity as auth_module
    from workbook.store import reissue_code

    c = make_cohort(db, "Timing")
    auth = AccessCodeAuthenticator(db)
    ann = c["people"]["Ann"]
    old = ann["code"]
    new = reissue_code(db, ADMIN, ann["id"])
    calls = {"scrypt": 0, "compare": 0}
    real_scrypt, real_compare = hashlib.scrypt, hmac.compare_digest

    def counting_scrypt(*a, **k):
        calls["scrypt"] += 1
        return real_scrypt(*a, **k)

    def counting_compare(a, b):
        calls["compare"] += 1
        return real_compare(a, b)

    monkeypatch.setattr(auth_module.hashlib, "scrypt", counting_scrypt)
    monkeypatch.setattr(auth_module.hmac, "compare_digest", counting_compare)
    wrong_secret = new[:6] + ("0" if new[6] != "0" else "1") + new[7:]
    for n, (code, ok) in enumerate([("ZZZZZ-ZZZZZ-ZZZZZ", False), (old, False), (wrong_secret, False), (new, True)]):
        before = dict(calls)
        if ok:
            assert auth.authenticate(code, source=f"s{n}").name == "Ann"
        else:
            with pytest.raises(AccessDenied, match="not valid"):
                auth.authenticate(code, source=f"s{n}")
        assert calls["scrypt"] - before["scrypt"] == 1, code
    assert calls["compare"] == 2  # the wrong secret and the right one, both through compare_digest


def test_codes_are_never_logged_stored_or_kept_after_creation(db, caplog, capsys):
    from workbook.store import reissue_code

    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # even the SQL log
    try:
        c = make_cohort(db, "Secret")
        ann = c["people"]["Ann"]
        new = reissue_code(db, ADMIN, ann["id"])
        auth = AccessCodeAuthenticator(db)
        auth.authenticate(new, source="x")
        with pytest.raises(AccessDenied):
            auth.authenticate(ann["code"], source="x")
        with pytest.raises(AccessDenied):
            auth.authenticate(new[:-1] + ("0" if new[-1] != "0" else "1"), source="y")
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    seen = caplog.text + "".join(capsys.readouterr())
    assert "INSERT INTO access_codes" in seen  # the SQL log was on
    codes = [p["code"] for p in c["people"].values()] + [new]
    dump = json.dumps(snapshot(db), default=str)
    for code in codes:
        secret = code.replace("-", "")[5:]
        assert code not in seen and secret not in seen
        assert code not in dump and secret not in dump


# ---------------------------------------------------------------- everyone stays in their lane

VALUES = {
    "module": "m01", "exercise": "coproduction", "exercises": ["coproduction", "reflection"], "item": "cp1", "value": 3, "status": "done",
    "name": "Intruder", "code": "ABCDE-FGHJK-MNPQR", "role": "trainee", "email": "", "attempt": None,
    "shared": True, "kind": "grow", "session": None, "people": [("Intruder", "trainee", "")],
    "map_id": "m_nordfrost", "m": new_map("Intruder's map"),  # journey maps (store/journeys.py)
    "category": "peer", "instrument": "manager_profile", "label": "x", "rater_id": 1,
    "path_id": "workshop",  # store/paths.py
    "language": "fr",  # store/languages.py
    "login": "intruder",  # a JupyterHub login (store/people.py: set_login, invite)
    "closes_on": __import__("datetime").date(2099, 1, 1), "items": ["mp1"],  # 360 rounds (store/raters.py)
}
FIELDS = {"save_action": {"status": "done"}, "save_note": {"text": "a note about you"}}
# per-target values: the target person's own action and note, made in the ``lanes`` fixture
PER_TARGET = ("action_id", "thread")
# calls that target no one else's data, with the reason (checked separately below)
NOT_TARGETED = {
    ("create_cohort", "coach_b"): "a coach may start a new cohort of their own; it holds no one's data",
    ("list_cohorts", "trainee"): "returns only the cohorts the actor may see (checked below)",
    ("list_cohorts", "rater"): "returns only the cohorts the actor may see (checked below)",
    ("list_cohorts", "coach_b"): "returns only the cohorts the actor may see (checked below)",
    ("rater_answers", "rater"): "a rater reads only their own answers (tests/unit/store/test_raters.py)",
    ("rater_task", "rater"): "a rater reads only their own task (tests/unit/store/test_raters.py)",
    ("save_rater_answer", "rater"): "a rater writes only their own answers about their subject (tests/unit/store/test_raters.py)",
    ("rater_language", "rater"): "a rater reads only their own language (tests/unit/store/test_languages.py)",
    ("set_rater_language", "rater"): "a rater sets only their own language (tests/unit/store/test_languages.py)",
}


def store_functions() -> list[str]:
    """Every function workbook.store exports that takes the signed-in actor."""
    return sorted(n for n in store.__all__ if inspect.isfunction(getattr(store, n)) and "actor" in inspect.signature(getattr(store, n)).parameters)


@pytest.fixture(scope="module")
def lanes_db(tmp_path_factory):
    return Database(f"sqlite:///{tmp_path_factory.mktemp('lanes') / 'lanes.db'}")


@pytest.fixture(scope="module")
def lanes(lanes_db):
    """Cohort A (Ann, Ben), cohort B with its own coach, and a rater invited by Ann (built once:
    every refusal test checks the database is unchanged, so they can share it)."""
    from workbook.store.people import _issue_code

    db = lanes_db
    a = make_cohort(db, "A")
    b = make_cohort(db, "B", trainees=("Zoe",))
    with db.session() as s:
        rater = Rater(subject_id=a["people"]["Ann"]["id"], category="peer", instrument="coproduction", label="Pat")
        s.add(rater)
        s.flush()
        rater_code = _issue_code(s, "rater", rater.id)
    rater_ident = AccessCodeAuthenticator(db).authenticate(rater_code, source="rater")
    assert rater_ident.role == "rater"
    save_answer(db, a["ident"]["Ann"], a["people"]["Ann"]["id"], "m01", "coproduction", "cp1", 4)
    save_answer(db, a["ident"]["Ben"], a["people"]["Ben"]["id"], "m01", "coproduction", "cp1", 2)
    # what version 2 of an export carries: Ann's closed round (one rater withdrawn), an open pulse
    # round after it, an open main round of Ben with a closing date, and the cohort's path
    ann, ben, coach = a["ident"]["Ann"], a["ident"]["Ben"], a["ident"]["Coach of A"]
    nominated = [store.nominate_rater(db, ann, ann.person_id, n, f"{n.lower()}@client.example", "peer", "manager_profile") for n in ("Ida", "Jo", "Kim")]
    store.approve_raters(db, coach, ann.person_id)
    store.send_rater_codes(db, coach, ann.person_id)
    store.revoke_rater(db, coach, ann.person_id, nominated[-1])
    store.close_round(db, coach, ann.person_id, "manager_profile")
    store.start_pulse_round(db, coach, ann.person_id, "manager_profile", ["mp1"])
    store.nominate_rater(db, ben, ben.person_id, "Lou", "lou@client.example", "manager", "manager_profile")
    store.set_round_closing(db, coach, ben.person_id, "manager_profile", (utcnow() + timedelta(days=5)).date())
    store.set_cohort_path(db, coach, a["id"], "workshop")
    store.set_cohort_language(db, coach, a["id"], "zh")  # version 3: the cohort's language and a person's own
    store.set_language(db, ann, ann.person_id, "fr")
    targets = {}
    for who in ("Ann", "Ben"):
        me = a["ident"][who]
        targets[me.person_id] = {
            "action_id": store.save_action(db, me, me.person_id, {"text": f"{who} calls three clients about their onboarding", "status": "planned"}),
            "thread": store.save_note(db, a["ident"]["Coach of A"], me.person_id, {"goal": f"{who} wants shorter projects"}, shared=True),
        }
    actors = {
        # actor, the person whose data they go for, the cohort they go for
        "trainee": (a["ident"]["Ann"], a["people"]["Ben"]["id"], a["id"]),
        "rater": (rater_ident, a["people"]["Ann"]["id"], a["id"]),
        "coach_b": (b["ident"]["Coach of B"], a["people"]["Ann"]["id"], a["id"]),
    }
    return {"a": a, "b": b, "actors": actors, "targets": targets}


def _args(fn, person_id: int, cohort_id: int, targets: dict | None = None) -> dict:
    out = {}
    for name, p in list(inspect.signature(fn).parameters.items())[2:]:
        if name in ("person_id", "subject_id"):
            out[name] = person_id
        elif name == "cohort_id":
            out[name] = cohort_id
        elif name == "rows":  # bulk saves name the person inside each row
            out[name] = [(person_id, "m01", "coproduction", "cp1", 3)]
        elif name == "fields":
            out[name] = FIELDS.get(fn.__name__, {"text": "x"})
        elif name in PER_TARGET:
            out[name] = (targets or {}).get(person_id, {}).get(name, "x")
        elif name in VALUES:
            out[name] = VALUES[name]
        elif p.default is inspect.Parameter.empty:
            raise AssertionError(f"{fn.__name__}: no test value for parameter {name!r}; add it to VALUES in tests/unit/store/test_hostile.py")
    return out


@pytest.mark.parametrize("who", ["trainee", "rater", "coach_b"])
@pytest.mark.parametrize("fn_name", store_functions())
def test_store_function_refuses_another_persons_data(fn_name, who, lanes_db, lanes):
    if (fn_name, who) in NOT_TARGETED:
        pytest.skip(NOT_TARGETED[(fn_name, who)])
    actor, person_id, cohort_id = lanes["actors"][who]
    fn = getattr(store, fn_name)
    db = lanes_db
    before = snapshot(db)
    with pytest.raises(AccessDenied) as exc:
        fn(db, actor, **_args(fn, person_id, cohort_id, lanes["targets"]))
    assert "\n" not in str(exc.value)
    after = snapshot(db)
    assert after == before, "a refused call changed the database"


def test_cohort_lists_show_only_ones_own_cohort(lanes_db, lanes):
    db = lanes_db
    for who in ("trainee", "rater"):
        assert store.list_cohorts(db, lanes["actors"][who][0]) == []
    names = [c["name"] for c in store.list_cohorts(db, lanes["actors"]["coach_b"][0])]
    assert names == ["B"]


def test_the_refusal_table_covers_the_store(lanes):
    """A new store function gets a refusal case automatically; this fails if it needs new values."""
    for name in store_functions():
        _args(getattr(store, name), 1, 1)
    assert {"save_answer", "current_answers", "cohort_answers", "reissue_code", "invite", "save_note", "save_action"} <= set(store_functions())


# ---------------------------------------------------------------- malformed imports

def _valid_document(db: Database) -> dict:
    from workbook.store.transfer import export_cohort

    return export_cohort(db, ADMIN, "A")


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=8), kids, max_size=4)), max_leaves=12)


def _paths(doc, prefix=()):
    """Every place in the document except answer values (which may hold anything)."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k == "value":
                continue
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


def _replace(doc, path, new):
    doc = json.loads(json.dumps(doc))
    node = doc
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = new
    return doc


def _wrong_kind(old):
    """A value of another kind than ``old`` that no validator coerces back (containers vs scalars)."""
    if isinstance(old, (dict, list)):
        return st.one_of(st.just("not a " + type(old).__name__), st.just(12345))
    return st.one_of(st.lists(JSON_SCALARS, max_size=2), st.dictionaries(st.text(max_size=3), JSON_SCALARS, max_size=2))


def _check_refused(db, text: str, before: dict) -> None:
    from workbook.store.transfer import import_cohort

    with pytest.raises(WorkbookError) as exc:
        import_cohort(db, ADMIN, text, where="cohort.json")
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith("cohort.json: "), msg
    assert snapshot(db) == before


HYP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@HYP
@given(text=st.text(max_size=200))
@example(text="[" * 100_000)  # nesting deep enough to exhaust the parser's recursion
@example(text='{"format": "servuction-workbook/cohort", "version": 1, "cohort": "N", "people": [], "answers": NaN}')
@example(text="")
@example(text="\x00")
def test_malformed_json_text_is_refused_whole(lanes_db, lanes, text):
    db = lanes_db
    _check_refused(db, text, snapshot(db))


@HYP
@given(data=st.data())
def test_json_document_with_one_wrong_field_is_refused_whole(lanes_db, lanes, data):
    db = lanes_db
    doc = _valid_document(db)
    doc["cohort"] = "Imported"
    path = data.draw(st.sampled_from(list(_paths(doc))))
    node = doc
    for p in path:
        node = node[p]
    broken = _replace(doc, path, data.draw(_wrong_kind(node)))
    _check_refused(db, json.dumps(broken), snapshot(db))


def _rater(doc: dict, label: str) -> dict:
    return next(r for r in doc["raters"] if r["label"] == label)


def _contact(doc: dict, label: str) -> dict:
    return _rater(doc, label)["contact"]


def _pulse(doc: dict) -> dict:
    return next(r for r in doc["rounds"] if r["kind"] == "pulse")


@pytest.mark.parametrize(
    "change,expect",
    [
        (lambda d: d.update(cohort="A"), "exists already; nothing was imported"),
        (lambda d: d["answers"][0].update(person="p99"), "answers[0].person: 'p99' is not one of the document's people"),
        (lambda d: d["answers"][0].update(attempt=10**30), "answers[0].attempt"),
        (lambda d: d["answers"][0].update(value=float("nan")), "NaN"),
        (lambda d: d["people"][0].update(name="Ann\x00"), "people[0].name"),
        (lambda d: d["people"].append(dict(d["people"][0])), "a key is used twice"),
        (lambda d: d.update(format="something/else"), "format"),
        (lambda d: d["answers"][0].update(at="yesterday"), "answers[0].at"),
        (lambda d: d["raters"][0].update(subject="p99"), "raters[0].subject: 'p99' is not one of the document's people"),
        (lambda d: d["raters"][0].update(category="friend"), "raters[0].category: 'friend' is not a rater category"),
        (lambda d: d["raters"].append(dict(d["raters"][0])), "raters: a key is used twice"),
        # an answer said to come from Ann's rater but about Ben
        (lambda d: d["answers"].append({**d["answers"][0], "person": next(p["key"] for p in d["people"] if p["name"] == "Ben"),
                                        "rater": d["raters"][0]["key"]}), "is not a rater of"),
        # version 2: rounds, raters' rounds and contacts, settings
        (lambda d: d["rounds"][0].update(closes_on="soon"), "rounds[0].closes_on: Input should be a valid date"),
        (lambda d: d["rounds"][0].update(kind="weekly"), "rounds[0].kind"),
        (lambda d: d["rounds"][0].update(subject="p99"), "rounds[0].subject: 'p99' is not one of the document's people"),
        (lambda d: d["rounds"][0].update(closed_by="p99"), "rounds[0].closed_by: 'p99' is not one of the document's people"),
        (lambda d: d["rounds"][0].update(instrument="nope"), "rounds[0].instrument: 'nope' is not an instrument of this workbook"),
        (lambda d: d["rounds"][0].update(closed_at="2020-01-01T00:00:00"), "rounds[0].closed_at: 2020-01-01T00:00:00 is before the round opened"),
        (lambda d: d["rounds"][0].update(items=["mp1"]), "rounds[0].items: a main round asks every item"),
        (lambda d: _pulse(d).update(items=["zz9"]), "].items[0]: 'zz9' is not an item of manager_profile"),
        (lambda d: _pulse(d).update(items=[]), "].items: a pulse round names the item ids it asks"),
        (lambda d: _pulse(d).update(baseline="f99"), "].baseline: 'f99' is not an earlier main round"),
        (lambda d: d["rounds"].append({**d["rounds"][-1], "key": "f9"}), "has another open main round on manager_profile"),
        (lambda d: d["rounds"].append(dict(d["rounds"][0])), "].key: 'f1' is used twice"),
        (lambda d: _rater(d, "Ida").update(round="f99"), "].round: 'f99' is not one of the document's rounds"),
        (lambda d: _rater(d, "Ida").update(round=d["rounds"][-1]["key"]), "not of the rater's"),  # Ben's round, Ann's rater
        (lambda d: _contact(d, "Ida").update(email="ida at client"), "].contact.email: the rater's e-mail 'ida at client' is not an e-mail address"),
        (lambda d: _contact(d, "Ida").update(email="ida@client.example\r\nBcc: x@y.example"), "].contact.email: the rater's e-mail"),
        (lambda d: _contact(d, "Jo").update(email="ida@client.example"), "'ida@client.example' is nominated already in round"),
        (lambda d: _contact(d, "Ida").update(sent_at="when it suits"), "].contact.sent_at: Input should be a valid datetime"),
        (lambda d: _contact(d, "Ida").update(sent_by="fax"), "].contact.sent_by"),
        (lambda d: _contact(d, "Ida").update(reminders=-1), "].contact.reminders"),
        (lambda d: _contact(d, "Ida").update(nominated_by="p99"), "].contact.nominated_by: 'p99' is not one of the document's people"),
        (lambda d: _contact(d, "Ida").update(follows="r99"), "].contact.follows: 'r99' is not an earlier rater"),
        (lambda d: _contact(d, "Ida").update(name=""), "].contact.name"),
        (lambda d: d["settings"][0].update(value="nope"), "settings[0].value: 'nope' is not a path of this workbook"),
        (lambda d: d["settings"][0].update(key="colour"), "settings[0].key: 'colour' is not a cohort setting"),
        (lambda d: d["settings"][0].update(by="p99"), "settings[0].by: 'p99' is not one of the document's people"),
        (lambda d: d["settings"][0].update(at="now"), "settings[0].at"),
        # versions: a later one is refused before its fields are read; version 1 carries none of version 2's
        (lambda d: d.update(version=4, tables={"new": []}), "version: 4 is newer than this workbook reads (1 to 3)"),
        (lambda d: [d.update(version=1)] + [p.update(language=None) for p in d["people"]], "rounds: a version 1 document has no rounds; set version to 3"),
        (lambda d: [d.update(version=1)] + [d.pop(k) for k in ("rounds", "settings")] + [p.update(language=None) for p in d["people"]],
         "].round: a version 1 document has no rater rounds"),
        (lambda d: d.update(version="2"), "version: '2' is not one of 1, 2, 3"),
        # version 3: languages
        (lambda d: d["people"][0].update(language="de"), "people[0].language: 'de' is not a language of the workbook"),
        (lambda d: d["raters"][0].update(language="english"), "raters[0].language: 'english' is not a language of the workbook"),
        (lambda d: next(c for c in d["settings"] if c["key"] == "language").update(value="xx"), "].value: 'xx' is not a language of the workbook"),
        (lambda d: d.update(version=2), "].language: a version 2 document has no languages; set version to 3"),
    ],
)
def test_json_import_refusals_name_the_place(lanes_db, lanes, change, expect):
    db = lanes_db
    from workbook.store.transfer import import_cohort

    doc = _valid_document(db)
    if expect != "exists already; nothing was imported":
        doc["cohort"] = "Imported"
    change(doc)
    before = snapshot(db)
    with pytest.raises(WorkbookError) as exc:
        import_cohort(db, ADMIN, json.dumps(doc), where="cohort.json")
    assert "\n" not in str(exc.value) and str(exc.value).startswith("cohort.json: ")
    assert expect in str(exc.value)
    assert snapshot(db) == before


def _content_texts():
    from workbook.settings import get_settings

    return {p.name: p.read_text(encoding="utf-8") for p in sorted(get_settings().content_dir.glob("*.yaml"))}


@HYP
@given(data=st.data())
@example(data=None)
def test_malformed_yaml_content_is_one_line(db, data):
    """Random YAML text, or a real content file cut or with one wrong field: ContentError, one line."""
    import yaml

    from workbook.content.catalogue import parse_document

    texts = _content_texts()
    if data is None:  # a "billion laughs" document: aliases must not blow up
        text = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nkind: module\n"
    else:
        how = data.draw(st.sampled_from(["random", "cut", "wrong-field"]))
        name = data.draw(st.sampled_from(sorted(texts)))
        original = texts[name]
        if how == "random":
            text = data.draw(st.text(max_size=300))
        elif how == "cut":
            text = original[: data.draw(st.integers(1, len(original) - 1))] + data.draw(st.sampled_from(["", ":", "[", "{", "\t", "- - ", "'"]))
        else:
            doc = load_yaml(original)
            path = data.draw(st.sampled_from([p for p in _paths(doc) if p[-1] != "kind"]))
            node = doc
            for p in path:
                node = node[p]
            text = yaml.safe_dump(_replace(doc, path, data.draw(_wrong_kind(node))), allow_unicode=True)
    before = snapshot(db)
    try:
        parse_document(text, "exercises/x.yaml")
    except ContentError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("exercises/x.yaml: ")
    else:
        # random text or a cut file may happen to be valid content; a wrong field never is
        assert data is not None and how != "wrong-field", text
    assert snapshot(db) == before


# ---------------------------------------------------------------- CSV rosters

NAMES = st.text(alphabet=st.characters(categories=["L", "Zs"], exclude_characters="\x85\u2028\u2029"), min_size=1, max_size=30).map(str.strip).filter(bool)


def _csv_line(cells: list[str]) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


BAD_CELLS = {
    "role": ("role", "overlord"),
    "nul": ("name", "Ann\x00Smith"),
    "control": ("name", "Ann\x1b[31mSmith"),
    "long-name": ("name", "N" * 201),
    "empty-name": ("name", "   "),
    "email": ("email", "not an address"),
}


@HYP
@given(text=st.text(max_size=300))
@example(text="name\n\"unterminated")
@example(text="\ufeffname,role\nAnn,trainee\nBen")
def test_random_csv_text_is_a_roster_or_one_line(text):
    from workbook.store.roster import parse_roster

    try:
        rows = parse_roster(text, "people.csv")
    except ImportFormatError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("people.csv: ") and "nothing was imported" in str(exc)
    else:
        assert rows and all(r.name and "\x00" not in r.name for r in rows)


@HYP
@given(names=st.lists(NAMES, min_size=1, max_size=8), data=st.data())
def test_roster_with_one_bad_cell_or_line_is_refused_whole(lanes_db, lanes, names, data):
    from workbook.store.roster import import_roster

    db = lanes_db
    lines = [["name", "role", "email"]] + [[n, "trainee", ""] for n in names]
    how = data.draw(st.sampled_from(sorted(BAD_CELLS) + ["extra-cell", "unknown-column", "no-name-column"]))
    row = data.draw(st.integers(1, len(lines) - 1))
    if how in BAD_CELLS:
        col, value = BAD_CELLS[how]
        lines[row][lines[0].index(col)] = value
    elif how == "extra-cell":
        lines[row].append("surplus")
    elif how == "unknown-column":
        lines[0][2] = "salary"
    else:
        lines[0][0] = "nom"
    text = "".join(_csv_line(cells) for cells in lines)
    before = snapshot(db)
    with pytest.raises(ImportFormatError) as exc:
        import_roster(db, ADMIN, lanes["a"]["id"], text, where="people.csv")
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith("people.csv: ") and "nothing was imported" in msg
    if how in BAD_CELLS and how != "nul":
        assert f"row {row + 1}, column {BAD_CELLS[how][0]}" in msg
    assert snapshot(db) == before


def test_roster_is_all_or_nobody_even_when_the_database_refuses(lanes_db, lanes):
    """A failure in the middle of the transaction (closed cohort found after checking) invites nobody."""
    from workbook.store import close_cohort, create_cohort
    from workbook.store.roster import import_roster

    db = lanes_db
    cid = create_cohort(db, ADMIN, "Closed one")
    close_cohort(db, ADMIN, cid)
    before = snapshot(db)
    with pytest.raises(WorkbookError, match="is closed; it takes no new people"):
        import_roster(db, ADMIN, cid, "name\nAnn\nBen\n", where="people.csv")
    assert snapshot(db) == before
