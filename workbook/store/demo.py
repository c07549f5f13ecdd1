"""The demo cohort: fictional people and answers from ``datasets/``, with published demo codes."""
from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from workbook.auth.identity import ALPHABET, Identity
from workbook.content.yaml_text import load_yaml
from workbook.errors import NotFound, WorkbookError
from workbook.settings import get_settings

from . import Database, cohort_by_name, create_cohort, invite, list_cohorts, list_people, save_answers_bulk, set_known_code

ADMIN = Identity.admin()


@dataclass(frozen=True)
class DemoCohort:
    name: str
    coach: str
    hr: str
    trainees: list[str]


def read_demo(datasets: Path | None = None) -> tuple[DemoCohort, list[dict]]:
    """The demo cohort's people and answers as stored in ``datasets/``."""
    datasets = datasets or get_settings().datasets_dir
    doc = load_yaml((datasets / "demo_cohort.yaml").read_text(encoding="utf-8"))
    cohort = DemoCohort(doc["cohort"], doc["coach"]["name"], doc["hr"]["name"], [t["name"] for t in doc["trainees"]])
    answers = []
    for path in sorted(datasets.glob("demo_answers*.csv")):  # demo_answers.csv, then one file per group of modules
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                answers.append({**row, "trainee": int(row["trainee"]), "value": _demo_value(row["value"])})
    return cohort, answers


def _demo_value(raw: str) -> object:
    """A CSV cell as an answer: numbers as int or float, JSON lists and objects parsed, else text."""
    if raw.isdigit():
        return int(raw)
    if re.fullmatch(r"\d+\.\d+", raw):
        return float(raw)
    if raw[:1] in "[{":
        return json.loads(raw)
    return raw


def read_demo_360(datasets: Path | None = None) -> list[dict]:
    """The demo 360-degree rater answers (``datasets/demo_360.csv``): trainee, rater, category, item, value."""
    path = (datasets or get_settings().datasets_dir) / "demo_360.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        rows = []
        for row in csv.DictReader(f):
            value: object = int(row["value"]) if row["value"].isdigit() else row["value"]
            rows.append({**row, "trainee": int(row["trainee"]), "rater": int(row["rater"]), "value": value})
    return rows


def _build_demo_raters(db: Database, trainee_ids: list[int]) -> None:
    """Invite the demo raters, store their answers (one invitation per rater number) and close
    each demo round, so that its results show."""
    from workbook.content.catalogue import catalogue

    from . import close_round, invite_rater, save_rater_answer

    made: dict[tuple[int, int], Identity] = {}
    rounds: set[tuple[int, str]] = set()
    for row in read_demo_360():
        key = (row["trainee"], row["rater"])
        if key not in made:
            inst = catalogue().instrument(row.get("instrument") or "manager_profile").id
            rid, _code = invite_rater(db, ADMIN, trainee_ids[row["trainee"] - 1], row["category"], inst, f"demo rater {row['rater']}")
            made[key] = Identity(role="rater", rater_id=rid)
            rounds.add((trainee_ids[row["trainee"] - 1], inst))
        save_rater_answer(db, made[key], row["item"], row["value"])
    for person_id, inst in sorted(rounds):
        close_round(db, ADMIN, person_id, inst)


def demo_codes(count: int, seed: int | None = None) -> list[str]:
    """The published demo codes: coach, HR, then one per trainee (deterministic from the seed)."""
    rng = random.Random(seed if seed is not None else get_settings().demo_seed)
    codes = []
    for _ in range(count):
        raw = "".join(rng.choice(ALPHABET) for _ in range(15))
        codes.append(f"{raw[:5]}-{raw[5:10]}-{raw[10:]}")
    return codes


def answers_by_trainee(answers: list[dict], exercise: str) -> dict[int, dict[str, object]]:
    """Demo answers of one exercise as {trainee number: {item: value}}."""
    out: dict[int, dict[str, object]] = {}
    for a in answers:
        if a["exercise"] == exercise:
            out.setdefault(a["trainee"], {})[a["item"]] = a["value"]
    return out


DEMO_MAP_TRAINEES = (1, 2, 3)  # demo trainees who start with the worked example journey map (Module 5)


def save_demo_maps(db: Database, trainee_ids: list[int], datasets: Path | None = None) -> None:
    """Give the first demo trainees the worked example map (a multi-year maintenance contract)."""
    from workbook.domain.journey import import_csv

    from .journeys import save_map

    datasets = datasets or get_settings().datasets_dir
    example = import_csv((datasets / "journey_example.csv").read_text(encoding="utf-8"))
    for number in DEMO_MAP_TRAINEES:
        if number <= len(trainee_ids):
            save_map(db, ADMIN, trainee_ids[number - 1], example, "demo: the worked example")


def build_demo(db: Database, progress=None) -> dict[str, object]:
    """Create the demo cohort (or refresh its codes if it exists); return names and codes.

    Refused when the database holds any other cohort: the demo codes are public, and a coach or
    HR demo code beside real people would open a door anyone can read in the README."""
    cohort, answers = read_demo()
    real = [c["name"] for c in list_cohorts(db, ADMIN) if c["name"] != cohort.name]
    if real:
        shown = ", ".join(repr(n) for n in real[:3]) + (f" and {len(real) - 3} more" if len(real) > 3 else "")
        raise WorkbookError(
            f"database {db.masked} holds real cohorts ({shown}); the demo's codes are public, so it is never loaded beside them: "
            "use another data directory for the demo (e.g. WORKBOOK_DATA_DIR=demo-data workbook demo)"
        )
    codes = demo_codes(2 + len(cohort.trainees))
    try:
        cohort_id = cohort_by_name(db, cohort.name)
        people = list_people(db, ADMIN, cohort_id)
        created = False
    except NotFound:
        cohort_id = create_cohort(db, ADMIN, cohort.name)
        people = []
        for name, role in [(cohort.coach, "coach"), (cohort.hr, "hr")] + [(t, "trainee") for t in cohort.trainees]:
            pid, _code = invite(db, ADMIN, cohort_id, name, role)
            people.append(type("P", (), {"id": pid, "name": name, "role": role}))
        created = True
    ids = [p.id for p in people]
    for pid, code in zip(ids, codes):
        set_known_code(db, ADMIN, pid, code)
    if created:
        trainee_ids = ids[2:]
        rows = answers if progress is None else progress(answers)
        save_answers_bulk(db, ADMIN, ((trainee_ids[a["trainee"] - 1], a["module"], a["exercise"], a["item"], a["value"]) for a in rows))
        save_demo_maps(db, trainee_ids)
        _build_demo_raters(db, trainee_ids)
    return {
        "cohort": cohort.name,
        "created": created,
        "codes": [("coach", cohort.coach, codes[0]), ("hr", cohort.hr, codes[1])]
        + [("trainee", n, c) for n, c in zip(cohort.trainees, codes[2:])],
    }
