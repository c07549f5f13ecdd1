"""The ``workbook`` command: every subcommand's --help, cohorts, invitations, export/import, content check."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from cli_run import run_cli, subcommands

from workbook.auth.identity import Identity
from workbook.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}\b")


COMMANDS = list(subcommands(build_parser()))


run = run_cli  # ``run(monkeypatch, data_dir, *argv)``


def test_the_command_set_is_complete():
    paths = {" ".join(p) for p, _h in COMMANDS}
    for wanted in ("serve", "demo", "cohort", "cohort list", "cohort create", "invite", "export", "import", "content", "content check", "backup", "restore"):
        assert wanted in paths


@pytest.mark.parametrize("path,help_text", COMMANDS, ids=[" ".join(p) for p, _h in COMMANDS])
def test_every_subcommand_has_help(path, help_text, capsys):
    assert help_text.strip(), f"`workbook {' '.join(path)}` has no help line in its parent's --help"
    with pytest.raises(SystemExit) as exc:
        main([*path, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: workbook {' '.join(path)}")


def test_cohort_list_one_line_per_cohort_name_first(tmp_path, monkeypatch, capsys):
    assert run(monkeypatch, tmp_path, "cohort", "create", "Spring 2027") == 0
    assert run(monkeypatch, tmp_path, "cohort", "create", "Autumn\tGroup") == 1  # a tab would break "name first"
    assert "holds control characters (U+0009)" in capsys.readouterr().err
    assert run(monkeypatch, tmp_path, "invite", "Spring 2027", "Ann Smith") == 0
    assert run(monkeypatch, tmp_path, "invite", "Spring 2027", "Bo", "--role", "coach") == 0
    assert run(monkeypatch, tmp_path, "cohort", "create", "Alpha") == 0
    capsys.readouterr()
    assert run(monkeypatch, tmp_path, "cohort", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    from workbook.store import list_cohorts, open_database

    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path))
    from workbook.settings import reset_settings
    from workbook.store import reset_default

    reset_settings(), reset_default()
    cohorts = list_cohorts(open_database(), Identity.admin())
    assert len(lines) == len(cohorts)
    assert [ln.split("\t")[0] for ln in lines] == [c["name"] for c in cohorts]
    spring = next(ln for ln in lines if ln.startswith("Spring 2027\t"))
    assert "1 trainees, 1 coaches, 0 HR" in spring and spring.endswith("open")


def test_cohort_create_twice_is_one_line(tmp_path, monkeypatch, capsys):
    assert run(monkeypatch, tmp_path, "cohort", "create", "Spring") == 0
    assert "created cohort 'Spring'" in capsys.readouterr().out
    assert run(monkeypatch, tmp_path, "cohort", "create", "Spring") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'Spring' exists already; choose another name" in err


def test_invite_prints_a_working_code_once(tmp_path, monkeypatch, capsys):
    from workbook.store import AccessCodeAuthenticator, open_database

    run(monkeypatch, tmp_path, "cohort", "create", "Spring")
    capsys.readouterr()
    assert run(monkeypatch, tmp_path, "invite", "Spring", "Ann Smith", "--email", "ann@example.com") == 0
    out = capsys.readouterr().out
    codes = CODE.findall(out)
    assert len(codes) == 1 and "shown only now" in out
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path))
    from workbook.settings import reset_settings
    from workbook.store import reset_default

    reset_settings(), reset_default()
    assert AccessCodeAuthenticator(open_database()).authenticate(codes[0]).name == "Ann Smith"
    # it is never shown again: not by listing, exporting or backing up
    for argv in (("cohort", "list"), ("export", "Spring"), ("backup", "-o", str(tmp_path / "b.db"))):
        assert run(monkeypatch, tmp_path, *argv) == 0
        both = "".join(capsys.readouterr())
        assert codes[0] not in both and codes[0].replace("-", "")[5:] not in both
    assert run(monkeypatch, tmp_path, "invite", "Nowhere", "Ben") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no cohort named 'Nowhere'; `workbook cohort list` shows them" in err


def test_export_import_into_an_empty_database_export_gives_the_same_document(tmp_path, monkeypatch, capsys, db, cohort):
    from workbook.store import save_answer, set_progress

    ann, ben = cohort["ident"]["Ann"], cohort["ident"]["Ben"]
    save_answer(db, ann, ann.person_id, "m01", "coproduction", "cp1", 2)
    save_answer(db, ann, ann.person_id, "m01", "coproduction", "cp1", 5)
    save_answer(db, ann, ann.person_id, "m01", "reflection", "text", "<b>mine</b>\u202e\x00 ✓\nline 2")
    save_answer(db, ben, ben.person_id, "m01", "coproduction", "cp2", "dont_know")
    set_progress(db, ann, ann.person_id, "m01", "done")
    # Ann's 360 raters and what one of them answered travel with the cohort
    from workbook.auth.identity import Identity
    from workbook.store import AccessCodeAuthenticator, invite_rater, save_rater_answer

    _rid, rcode = invite_rater(db, Identity.admin(), ann.person_id, "peer", "manager_profile", "Peer from sales")
    invite_rater(db, Identity.admin(), ann.person_id, "client", "manager_profile", "")
    rater = AccessCodeAuthenticator(db).authenticate(rcode)
    save_rater_answer(db, rater, "mp1", 4)
    src = tmp_path  # the db fixture's data directory
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert run(monkeypatch, src, "export", "Cohort A", "-o", str(first)) == 0
    empty = tmp_path / "empty"
    assert run(monkeypatch, empty, "import", str(first)) == 0
    assert "imported cohort 'Cohort A'" in capsys.readouterr().out
    assert run(monkeypatch, empty, "export", "Cohort A", "-o", str(second)) == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    doc = json.loads(first.read_text(encoding="utf-8"))
    versions = [a for a in doc["answers"] if a["item"] == "_version"]  # each attempt's item version travels too
    assert versions and all(a["exercise"] in ("coproduction", "manager_profile") for a in versions)
    answers = [a for a in doc["answers"] if a["item"] != "_version"]
    assert len(answers) == 5 and len(doc["people"]) == 5
    ann_key = next(p["key"] for p in doc["people"] if p["name"] == "Ann")
    assert [(r["key"], r["subject"], r["category"], r["label"]) for r in doc["raters"]] == [
        ("r1", ann_key, "peer", "Peer from sales"), ("r2", ann_key, "client", "")]
    # and their open round (version 2): both in it, no closing by anyone yet
    assert doc["version"] == 3 and [r["round"] for r in doc["raters"]] == ["f1", "f1"]
    assert [(f["subject"], f["kind"], f["closed_at"]) for f in doc["rounds"]] == [(ann_key, "main", None)]
    assert [a for a in answers if a.get("rater")] == [
        {**[a for a in answers if a.get("rater")][0], "person": ann_key, "rater": "r1", "item": "mp1", "value": 4}]
    # in the new database the rater's answer is still a rater's, not one of Ann's own answers
    from sqlalchemy import func, select

    from workbook.store import Database
    from workbook.store.models import Answer, Rater

    moved = Database(f"sqlite:///{empty / 'workbook.db'}")
    with moved.session() as s:
        assert s.scalar(select(func.count()).select_from(Rater)) == 2
        assert s.scalar(select(func.count()).select_from(Answer).where(Answer.rater_id.is_not(None), Answer.item == "mp1")) == 1
    moved.dispose()
    assert "<b>mine</b>\u202e\x00 ✓\nline 2" in [a["value"] for a in doc["answers"]]
    # to standard output too; and a second import of the same cohort is refused in one line
    capsys.readouterr()
    assert run(monkeypatch, empty, "export", "Cohort A") == 0
    assert json.loads(capsys.readouterr().out) == doc
    assert run(monkeypatch, empty, "import", str(first)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exists already; nothing was imported" in err


def test_content_check_good_content(tmp_path, monkeypatch, capsys):
    from workbook.content.catalogue import load_directory
    from workbook.settings import get_settings

    assert run(monkeypatch, tmp_path, "content", "check") == 0
    cat = load_directory(get_settings().content_dir)
    out = capsys.readouterr().out
    assert f"ok — {len(cat.modules)} modules, {len(cat.instruments)} instruments, {len(cat.sources)} sources" in out


@pytest.mark.parametrize("layout", ["empty", "instrument only", "missing"])
def test_content_check_refuses_an_empty_catalogue_in_one_line(tmp_path, monkeypatch, capsys, layout):
    from workbook.settings import get_settings

    content = tmp_path / "content"
    if layout != "missing":
        content.mkdir()
    if layout == "instrument only":  # valid YAML, but no module: still nothing to teach
        shutil.copy(get_settings().content_dir / "coproduction.yaml", content)
    assert run(monkeypatch, tmp_path, "content", "check", "--dir", str(content)) == 1
    captured = capsys.readouterr()
    assert "ok" not in captured.out and captured.err.count("\n") == 1, captured
    assert captured.err.startswith(f"workbook: error: {content}: ") and "WORKBOOK_CONTENT_DIR" in captured.err


@pytest.mark.parametrize(
    "file,old,new,expect",
    [
        ("coproduction.yaml", "points: 5", "points: 9", r"coproduction\.yaml: scale\.points: 9 is not one of 5, 7"),
        ("m01_servuction.yaml", "kind: module", "kind: modul", r"m01_servuction\.yaml: .*kind"),
        ("m01_servuction.yaml", "id: m01", "id: [m01", r"m01_servuction\.yaml: line \d+, column \d+: "),
        ("m01_servuction.yaml", "type: text", "type: telepathy", r"m01_servuction\.yaml: exercises\[\d+\][.:] ?type:? 'telepathy' is not one of"),
    ],
)
def test_content_check_malformed_content_is_one_line(tmp_path, monkeypatch, capsys, file, old, new, expect):
    from workbook.settings import get_settings

    content = tmp_path / "content"
    shutil.copytree(get_settings().content_dir, content)
    text = (content / file).read_text(encoding="utf-8")
    assert old in text
    (content / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    assert run(monkeypatch, tmp_path, "content", "check", "--dir", str(content)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("workbook: error: ")
    assert re.search(expect, err), err


def test_invite_a_whole_roster_from_csv(tmp_path, monkeypatch, capsys):
    from workbook.store import AccessCodeAuthenticator, list_people, open_database

    run(monkeypatch, tmp_path, "cohort", "create", "Spring")
    roster = tmp_path / "people.csv"
    roster.write_text("\ufeffName,Role,Email\nAnn Smith,trainee,ann@example.com\n\"Lee, Bo\",coach,\nCy,,\n", encoding="utf-8")
    capsys.readouterr()
    assert run(monkeypatch, tmp_path, "invite", "Spring", "--csv", str(roster)) == 0
    out = capsys.readouterr().out
    codes = CODE.findall(out)
    assert len(codes) == 3 and "invited 3 people into 'Spring'" in out
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path))
    from workbook.settings import reset_settings
    from workbook.store import reset_default

    reset_settings(), reset_default()
    db = open_database()
    people = list_people(db, Identity.admin(), 1)
    assert [(p.name, p.role, p.email) for p in people] == [("Ann Smith", "trainee", "ann@example.com"), ("Lee, Bo", "coach", ""), ("Cy", "trainee", "")]
    assert [AccessCodeAuthenticator(db).authenticate(c, source="cli").name for c in codes] == ["Ann Smith", "Lee, Bo", "Cy"]
    # a bad row refuses the whole file
    roster.write_text("name,role\nDee,trainee\nEd,captain\n", encoding="utf-8")
    assert run(monkeypatch, tmp_path, "invite", "Spring", "--csv", str(roster)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "people.csv: row 3, column role: 'captain' is not one of trainee, coach, hr" in err
    assert len(list_people(open_database(), Identity.admin(), 1)) == 3
    with pytest.raises(SystemExit) as exc:  # neither a name nor --csv: a usage error
        run(monkeypatch, tmp_path, "invite", "Spring")
    assert exc.value.code == 2
    assert "give either a person's name or --csv FILE" in capsys.readouterr().err


def test_serve_pool_option_sizes_a_pages_pool_for_the_run(tmp_path, monkeypatch, capsys):
    """`workbook serve --pool 01_servuction.ipynb=30`: the Voila command gets that pool, the other
    pools keep their settings; a page that is not served or a bad size is one line, nothing started."""
    import workbook.serving.serve as serve_module

    started = []
    monkeypatch.setattr(serve_module.subprocess, "call", lambda cmd, env: started.append(cmd) or 0)
    monkeypatch.setenv("WORKBOOK_POOLS", "00_home.ipynb=2,01_servuction.ipynb=3")
    assert run(monkeypatch, tmp_path, "serve", "--pool", "01_servuction.ipynb=30", "--pool", "coach.ipynb=4") == 0
    pools = dict(a.split("=", 1)[1].split("=") for a in started[0] if a.startswith("--WorkbookKernelManager.pool_sizes="))
    assert pools["01_servuction.ipynb"] == "30" and pools["coach.ipynb"] == "4"
    assert pools["00_home.ipynb"] == "2"
    for bad, expect in [("nowhere.ipynb=3", "no page 'nowhere.ipynb'"), ("01_servuction.ipynb=many", "is not page=N")]:
        capsys.readouterr()
        assert run(monkeypatch, tmp_path, "serve", "--pool", bad) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and expect in err
    assert len(started) == 1


def test_cohort_list_json_one_object_per_cohort(tmp_path, monkeypatch, capsys):
    """`cohort list --json`: a JSON list with each cohort's name, state and head counts by role."""
    assert run(monkeypatch, tmp_path, "cohort", "create", "Spring 2027") == 0
    assert run(monkeypatch, tmp_path, "cohort", "create", "Autumn \"A\"") == 0
    for argv in (("Ann Smith",), ("Bo", "--role", "coach"), ("Cy", "--role", "hr"), ("Di",)):
        assert run(monkeypatch, tmp_path, "invite", "Spring 2027", *argv) == 0
    capsys.readouterr()
    assert run(monkeypatch, tmp_path, "cohort", "list", "--json") == 0
    got = json.loads(capsys.readouterr().out)
    assert [(c["name"], c["closed"], c["trainee"], c["coach"], c["hr"]) for c in got] == [
        ('Autumn "A"', False, 0, 0, 0), ("Spring 2027", False, 2, 1, 1)]


def test_stats_json_hides_small_groups_and_carries_the_figures(db, cohort, monkeypatch, capsys):
    """`stats --json`: one object per instrument; a group under the threshold has no figures, only
    the reason; from three people on, every dimension's alpha, n and mean are there."""
    from workbook.analysis.cohort_statistics import cohort_instrument_stats
    from workbook.content.catalogue import catalogue
    from workbook.store import save_answer

    inst = catalogue().instrument("manager_profile")
    answered = []
    for name, base in (("Ann", 1), ("Ben", 3), ("Cy", 5)):
        ident = cohort["ident"][name]
        for k, item in enumerate(inst.items):
            save_answer(db, ident, ident.person_id, "m03", inst.id, item.id, max(1, min(5, base + (k % 2))))
        answered.append(name)
        if len(answered) == 2:
            assert run(monkeypatch, db.settings.data_dir, "stats", "Cohort A", "--instrument", inst.id, "--json") == 0
            (two,) = json.loads(capsys.readouterr().out)
            assert two["instrument"] == inst.id and two["people"] == 2 and two["threshold"] == 3
            assert two["reliability"] == [] and two["aggregates"] == [] and "2 answered, 3 needed" in two["reason"]
    assert run(monkeypatch, db.settings.data_dir, "stats", "Cohort A", "--json") == 0
    got = json.loads(capsys.readouterr().out)
    assert [g["instrument"] for g in got] == sorted(catalogue().instruments)
    mp = next(g for g in got if g["instrument"] == inst.id)
    assert mp["people"] == 3 and mp["reason"] == ""
    assert [r["scale"] for r in mp["reliability"]] == [d.label for d in inst.dimensions]
    assert all(r["n"] == 3 and len(r["items"]) == len([i for i in inst.items if i.dimension == d.id])
               for r, d in zip(mp["reliability"], inst.dimensions))
    same = cohort_instrument_stats(db, Identity.admin(), inst.id, cohort["id"])
    assert [r["alpha"] for r in mp["reliability"]] == pytest.approx([r.alpha for r in same.reliability])
    assert [a["mean"] for a in mp["aggregates"]] == pytest.approx([a.mean for a in same.aggregates])


def test_invite_csv_codes_out_writes_an_owner_only_mail_merge_file(tmp_path, monkeypatch, capsys):
    """`invite COHORT --csv people.csv --codes-out codes.csv`: the codes go to a new 0600 CSV
    (name,role,email,code, in the roster's order) and nowhere else: not stdout, not the log."""
    import csv
    import stat

    from workbook import logs
    from workbook.store import AccessCodeAuthenticator, open_database

    logs.reset()
    run(monkeypatch, tmp_path, "cohort", "create", "Spring")
    logs.logger("test").info("the log file of this data directory")
    roster, codes = tmp_path / "people.csv", tmp_path / "out" / "codes.csv"
    codes.parent.mkdir()
    roster.write_text("name,role,email\nAnn Smith,trainee,ann@example.com\n\"Lee, Bo\",coach,\nCy,,cy@example.com\n", encoding="utf-8")
    capsys.readouterr()
    assert run(monkeypatch, tmp_path, "invite", "Spring", "--csv", str(roster), "--codes-out", str(codes)) == 0
    out, err = capsys.readouterr()
    assert stat.S_IMODE(codes.stat().st_mode) == 0o600
    rows = list(csv.reader(codes.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["name", "role", "email", "code"]
    assert [r[:3] for r in rows[1:]] == [["Ann Smith", "trainee", "ann@example.com"], ["Lee, Bo", "coach", ""], ["Cy", "trainee", "cy@example.com"]]
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path))
    from workbook.settings import reset_settings
    from workbook.store import reset_default

    reset_settings(), reset_default()
    auth = AccessCodeAuthenticator(open_database())
    assert [auth.authenticate(r[3], source="cli").name for r in rows[1:]] == ["Ann Smith", "Lee, Bo", "Cy"]
    logs.reset()
    log = (tmp_path / "logs" / "workbook.log").read_text(encoding="utf-8")
    assert "the log file of this data directory" in log
    for r in rows[1:]:
        assert r[3] not in out + err + log and r[3].replace("-", "")[5:] not in out + err + log
    assert "invited 3 people into 'Spring'" in out and str(codes) in out
    # an existing codes file is never overwritten: one line, nobody invited
    roster.write_text("name\nDee\n", encoding="utf-8")
    before = codes.read_bytes()
    assert run(monkeypatch, tmp_path, "invite", "Spring", "--csv", str(roster), "--codes-out", str(codes)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exists already" in err and codes.read_bytes() == before
    reset_settings(), reset_default()
    assert "Dee" not in [p.name for p in __import__("workbook.store", fromlist=["list_people"]).list_people(open_database(), Identity.admin(), 1)]
    # --json without --codes-out: the invited people with their codes, on stdout only
    assert run(monkeypatch, tmp_path, "invite", "Spring", "--csv", str(roster), "--json") == 0
    (dee,) = json.loads(capsys.readouterr().out)
    assert (dee["name"], dee["role"], dee["email"]) == ("Dee", "trainee", "") and CODE.fullmatch(dee["code"])
    reset_settings(), reset_default()
    assert AccessCodeAuthenticator(open_database()).authenticate(dee["code"], source="cli").person_id == dee["person_id"]


def test_exit_codes_usage_2_runtime_1_each_one_line(tmp_path, monkeypatch, capsys):
    """Usage errors exit 2 (argparse); a WorkbookError exits 1; an unforeseen failure (here the
    export's target folder is missing) exits 1 too, one line on stderr, its traceback in the log file."""
    from workbook import logs

    logs.reset()  # the log file of this test's data directory
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path))
    for argv in (("cohort", "list", "--nonsense"), ("invite",), ("stats", "--json", "--instrument")):
        with pytest.raises(SystemExit) as exc:
            run(monkeypatch, tmp_path, *argv)
        assert exc.value.code == 2
        assert capsys.readouterr().err.splitlines()[-1].startswith("workbook")
    assert run(monkeypatch, tmp_path, "export", "Nobody") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("workbook: error: ") and "no cohort named 'Nobody'" in err
    assert run(monkeypatch, tmp_path, "cohort", "create", "Spring") == 0
    capsys.readouterr()
    assert run(monkeypatch, tmp_path, "export", "Spring", "-o", str(tmp_path / "missing" / "x.json")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("workbook: error: unexpected FileNotFoundError: ")
    log = (tmp_path / "logs" / "workbook.log").read_text(encoding="utf-8")
    assert "workbook export: unexpected failure" in log and "Traceback (most recent call last)" in log
    logs.reset()  # the console script's exit statuses: tests/integration/test_cli_process.py


def test_invite_one_person_json_and_db_current(tmp_path, monkeypatch, capsys):
    """`invite COHORT NAME --json`: the person and their working code as one JSON object; `db current`
    on a new database names the head revision as current."""
    from workbook.store import AccessCodeAuthenticator, open_database
    from workbook.store.models import SCHEMA_REVISION

    assert run(monkeypatch, tmp_path, "cohort", "create", "Spring") == 0
    capsys.readouterr()
    assert run(monkeypatch, tmp_path, "invite", "Spring", "Ann Smith", "--role", "coach", "--email", "ann@example.com", "--json") == 0
    got = json.loads(capsys.readouterr().out)
    assert {k: got[k] for k in ("name", "role", "email")} == {"name": "Ann Smith", "role": "coach", "email": "ann@example.com"}
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path))
    from workbook.settings import reset_settings
    from workbook.store import reset_default

    reset_settings(), reset_default()
    assert AccessCodeAuthenticator(open_database()).authenticate(got["code"], source="cli").person_id == got["person_id"]
    assert run(monkeypatch, tmp_path, "db", "current") == 0
    assert f"schema {SCHEMA_REVISION} (current)" in capsys.readouterr().out
