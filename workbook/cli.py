"""The ``workbook`` command: parse arguments, call the library, print. No logic lives here."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .auth.identity import ROLES
from .errors import WorkbookError
from .i18n import LANGUAGES, _, environment_language, using


def _db():
    from workbook.store import open_database

    return open_database()


def _print_json(doc) -> None:
    """``doc`` as JSON on standard output (``--json``)."""
    print(json.dumps(doc, ensure_ascii=False, indent=1))


def _admin():
    from workbook.auth.identity import Identity

    return Identity.admin()


def cmd_serve(args) -> int:
    from workbook.serving.serve import serve

    from .settings import get_settings

    settings = get_settings().with_pools(args.pool or [])
    if args.demo:
        cmd_demo(args)
    voila_args = args.voila_args[1:] if args.voila_args[:1] == ["--"] else args.voila_args
    return serve(settings, port=args.port, extra_args=voila_args)


def cmd_singleuser(args) -> int:
    from workbook.serving.hub import run_singleuser

    extra = args.server_args[1:] if args.server_args[:1] == ["--"] else args.server_args
    run_singleuser(extra_args=extra)  # replaces this process (JupyterHub watches the process it spawned)
    return 0


def cmd_raters_serve(args) -> int:
    from workbook.serving.rater_service import run_service

    run_service(port=args.port, base_url=args.base_url)  # replaces this process (JupyterHub watches the process it started)
    return 0


def cmd_demo(args) -> int:
    from tqdm import tqdm

    from workbook.store.demo import build_demo

    def bar(rows):
        return tqdm(rows, desc="demo answers", unit="answer", file=sys.stderr)

    result = build_demo(_db(), progress=bar)
    done = _("Created {cohort}.") if result["created"] else _("Refreshed {cohort}.")
    print(done.format(cohort=repr(result["cohort"])) + " " + _("Demo access codes:"))
    for role, name, code in result["codes"][:3]:
        print(f"  {role:8} {code}   {name}")
    print("  " + _("(+{more} more trainees: `workbook demo --all-codes`)").format(more=len(result["codes"]) - 3) if not getattr(args, "all_codes", False) else "")
    if getattr(args, "all_codes", False):
        for role, name, code in result["codes"][3:]:
            print(f"  {role:8} {code}   {name}")
    return 0


def cmd_cohort_list(args) -> int:
    from workbook.store import list_cohorts

    cohorts = list_cohorts(_db(), _admin())
    if args.json:
        _print_json(cohorts)
        return 0
    for c in cohorts:
        state = _("closed") if c["closed"] else _("open")
        people = _("{trainees} trainees, {coaches} coaches, {hr} HR").format(trainees=c["trainee"], coaches=c["coach"], hr=c["hr"])
        print(f"{c['name']}\t{people}\t{state}")
    return 0


def cmd_cohort_create(args) -> int:
    from workbook.store import create_cohort

    cid = create_cohort(_db(), _admin(), args.name)
    print(_("created cohort {name} (id {id})").format(name=repr(args.name), id=cid))
    return 0


def cmd_reissue(args) -> int:
    from workbook.store import cohort_by_name, person_by_name, reissue_code

    db = _db()
    person = person_by_name(db, _admin(), cohort_by_name(db, args.cohort), args.name)
    code = reissue_code(db, _admin(), person.id)
    print(_("new access code for {name} ({role}), shown only now: {code}; the old code and its open pages no longer work").format(
        name=repr(person.name), role=person.role, code=code))
    return 0


def cmd_login(args) -> int:
    from workbook.store import cohort_by_name, person_by_name, set_login

    db = _db()
    person = person_by_name(db, _admin(), cohort_by_name(db, args.cohort), args.name)
    login = args.hubname if args.action == "set" else None
    previous = set_login(db, _admin(), person.id, login)
    was = f" (was {previous!r})" if previous and previous != login else ""
    if login is None:
        print(f"{person.name!r} has no JupyterHub login now{was}: under JupyterHub they reach no page until one is set")
    else:
        print(f"{person.name!r} signs in through JupyterHub as {login.strip()!r}{was}")
    return 0


def _cohort_setting(name: str, value: str | None, read, write, describe) -> int:
    """Set one of a cohort's settings when ``value`` is given; print the cohort, the setting and its description."""
    from workbook.store import cohort_by_name

    db = _db()
    cohort_id = cohort_by_name(db, name)
    if value:
        write(db, _admin(), cohort_id, value)
    chosen = read(db, _admin(), cohort_id)
    print(f"{name}\t{chosen}\t{describe(chosen)}")
    return 0


def cmd_cohort_path(args) -> int:
    from workbook.content.catalogue import catalogue
    from workbook.domain.paths import get_path
    from workbook.store import cohort_path, set_cohort_path

    return _cohort_setting(args.name, args.path, cohort_path, set_cohort_path, lambda chosen: get_path(catalogue().paths, chosen).title)


def cmd_cohort_language(args) -> int:
    from workbook.i18n import language_name
    from workbook.store import cohort_language, set_cohort_language

    return _cohort_setting(args.name, args.language, cohort_language, set_cohort_language, language_name)


def _codes_file(name: str) -> Path:
    """The owner-only file the access codes go to, created empty before anyone is invited."""
    from .files import private_file

    path = Path(name)
    if path.exists() and path.stat().st_size:
        raise WorkbookError(_("{path} exists already; give --codes-out a new file name (its codes would be overwritten)").format(path=path))
    try:
        return private_file(path)
    except OSError as exc:
        raise WorkbookError(_("{path}: cannot create it ({reason}); give --codes-out a file in a writable folder").format(path=path, reason=exc.strerror)) from None


def cmd_invite(args) -> int:
    from workbook.store import cohort_by_name, invite

    if (args.name is None) == (args.csv is None):
        args.parser.error(_("give either a person's name or --csv FILE (a roster with the columns name,role,email), not both"))
    if args.codes_out and not args.csv:
        args.parser.error(_("--codes-out goes with --csv FILE"))
    if args.login is not None and args.csv:
        args.parser.error(_("--login goes with one person's name, not with --csv FILE"))
    db = _db()
    cohort_id = cohort_by_name(db, args.cohort)
    if args.csv:
        from workbook.files import write_private_text
        from workbook.store.roster import codes_csv, import_roster

        path = Path(args.csv)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise WorkbookError(_("{path}: cannot read it as UTF-8 text ({reason}); save the roster as a UTF-8 CSV file").format(path=path, reason=exc)) from None
        codes_out = _codes_file(args.codes_out) if args.codes_out else None
        invited = import_roster(db, _admin(), cohort_id, text, where=str(path))
        if codes_out is not None:
            write_private_text(codes_out, codes_csv(invited))
        if db.settings.auth_mode == "jupyterhub":  # codes are refused on this deployment: none is shown or written
            print(_("invited {n} people into {cohort}; they sign in through JupyterHub (the roster's login column)").format(n=len(invited), cohort=repr(args.cohort)))
            return 0
        if args.json:
            _print_json([{**i._asdict(), "code": None if codes_out else i.code} for i in invited])
        elif codes_out is not None:
            print(_("invited {n} people into {cohort}; their access codes are in {file} (owner-only; columns name,role,email,code for a mail merge), "
                    "shown nowhere else").format(n=len(invited), cohort=repr(args.cohort), file=codes_out))
        else:
            print(_("invited {n} people into {cohort}; access codes, shown only now:").format(n=len(invited), cohort=repr(args.cohort)))
            for i in invited:
                print(f"  {i.role:8} {i.code}   {i.name}")
        return 0
    pid, code = invite(db, _admin(), cohort_id, args.name, args.role, args.email, login=args.login)
    hub = db.settings.auth_mode == "jupyterhub"
    if args.json:
        _print_json({"person_id": pid, "name": args.name, "role": args.role, "email": args.email, "login": args.login,
                     "code": None if hub else code})
        return 0
    if hub:  # codes are refused on this deployment: none is shown
        how = _("signs in as JupyterHub user {login}").format(login=repr(args.login)) if args.login else _("has no JupyterHub login yet (give --login HUBNAME)")
        print(_("invited {name} as {role} (person {id}); {how}").format(name=repr(args.name), role=args.role, id=pid, how=how))
        return 0
    login = _("; JupyterHub login {login}").format(login=repr(args.login)) if args.login else ""
    print(_("invited {name} as {role} (person {id}){login}; access code, shown only now: {code}").format(
        name=repr(args.name), role=args.role, id=pid, login=login, code=code))
    return 0


def cmd_export(args) -> int:
    from workbook.store.transfer import export_cohort

    doc = json.dumps(export_cohort(_db(), _admin(), args.cohort), ensure_ascii=False, indent=1, sort_keys=True)
    if args.output in (None, "-"):
        print(doc)
    else:
        Path(args.output).write_text(doc + "\n", encoding="utf-8")
        print(_("exported {cohort} to {file}").format(cohort=repr(args.cohort), file=args.output), file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    from workbook.store.transfer import import_cohort

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkbookError(_("{path}: cannot read ({reason})").format(path=path, reason=exc)) from None
    name = import_cohort(_db(), _admin(), text, where=str(path))
    print(_("imported cohort {name}").format(name=repr(name)))
    return 0


def cmd_content_check(args) -> int:
    from workbook.content.catalogue import check_directory, missing_translations
    from workbook.content.languages import check_datasets, languages

    from .settings import get_settings

    directory = Path(args.dir) if args.dir else get_settings().content_dir
    cat = check_directory(directory)
    print(_("{directory}: ok — {modules} modules, {instruments} instruments, {sources} sources, {glossary} glossary entries; languages: {languages}").format(
        directory=directory, modules=len(cat.modules), instruments=len(cat.instruments), sources=len(cat.sources), glossary=len(cat.glossary),
        languages=", ".join(languages(directory))))
    for line in missing_translations(directory):
        print(line)
    for language in languages(directory)[1:]:
        for line in check_datasets(get_settings().datasets_dir, language):
            print(line)
    return 0


def cmd_notebooks_refresh(args) -> int:
    from tqdm import tqdm

    from .nbtools import notebooks, problems, refresh
    from .settings import get_settings

    paths = [Path(p) for p in args.paths] or notebooks(get_settings().notebooks_dir)
    for path in tqdm(paths, desc="notebooks", unit="nb", file=sys.stderr):
        refresh(path)
    left = [msg for p in paths for msg in problems(p)]
    for msg in left:
        print(msg)
    return 1 if left else 0


def cmd_report(args) -> int:
    from tqdm import tqdm

    from workbook.reporting.reports import cohort_tasks, parse_formats, person_task, run_reports

    db, actor = _db(), _admin()
    formats = parse_formats(args.format)
    if args.what == "person":
        try:
            tasks = [person_task(db, actor, int(args.target))]
        except ValueError:
            raise WorkbookError(_("person {target}: give the person's id (a number); `workbook report cohort NAME` does a whole cohort").format(target=repr(args.target))) from None
    else:
        tasks = cohort_tasks(db, actor, args.target)
    bar = tqdm(total=len(tasks), desc="reports", unit="report", file=sys.stderr)
    outcomes = run_reports(tasks, actor, Path(args.output), formats, workers=args.workers, as_of=args.as_of or "",
                           language=args.language or "", on_done=lambda _o: bar.update(1))
    bar.close()
    made = [f for o in outcomes for f in o.files]
    failed = [o for o in outcomes if o.error]
    print(_("{written} of {total} reports written to {folder} ({files} files)").format(written=len(outcomes) - len(failed), total=len(outcomes), folder=args.output, files=len(made)))
    for o in failed:
        print(_("FAILED {label}: {error}").format(label=o.task.label, error=o.error))
    return 1 if failed else 0


def cmd_facilitator(args) -> int:
    from workbook.reporting.reports import ReportTask, parse_formats, run_reports

    formats = parse_formats(args.format)
    if args.cohort:
        from workbook.store import cohort_by_name

        cohort_by_name(_db(), args.cohort)  # an unknown cohort: one line before anything runs
    tasks = [ReportTask("facilitator", args.cohort or "", "facilitator-guide", "facilitator guide")]
    if args.handouts:  # one page per module, linked from the guide by file name
        from workbook.content.catalogue import catalogue
        from workbook.reporting.facilitator import handout_file

        tasks += [ReportTask("handout", m.id, handout_file(m).removesuffix(".pdf"), f"handout, Module {m.number}") for m in catalogue().ordered_modules()]
    outcomes = run_reports(tasks, _admin(), Path(args.output), formats, workers=args.workers)
    failed = [o for o in outcomes if o.error]
    print(_("{written} of {total} documents written to {folder}").format(written=len(outcomes) - len(failed), total=len(outcomes), folder=args.output))
    for o in failed:
        print(_("FAILED {label}: {error}").format(label=o.task.label, error=o.error))
    return 1 if failed else 0


def cmd_backup(args) -> int:
    from workbook.store.backup import backup, default_backup_path

    from .settings import get_settings

    db = _unchecked_db()  # a database at an older revision is backed up before `workbook db upgrade`
    target = Path(args.output) if args.output else default_backup_path(db, get_settings().data_dir / "backups")
    result = backup(db, _admin(), target)
    print(_("backed up {database} to {file} ({bytes} bytes, {kind})").format(database=db.masked, file=result.path, bytes=f"{result.bytes:,}", kind=result.kind))
    return 0


def cmd_restore(args) -> int:
    from workbook.store.backup import restore

    db = _db()
    where = restore(db, _admin(), Path(args.file), force=args.force)
    print(_("restored {file} into {database}").format(file=args.file, database=where))
    return 0


def cmd_stats(args) -> int:
    from workbook.analysis.cohort_statistics import cohort_instrument_stats, stats_text
    from workbook.content.catalogue import catalogue
    from workbook.store import cohort_by_name

    db = _db()
    cohort_id = cohort_by_name(db, args.cohort) if args.cohort else None
    names = args.instrument or sorted(catalogue().instruments)
    if args.json:
        from dataclasses import asdict

        _print_json([asdict(cohort_instrument_stats(db, _admin(), name, cohort_id)) for name in names])
        return 0
    for n, name in enumerate(names):
        stats = cohort_instrument_stats(db, _admin(), name, cohort_id)
        print(("\n" if n else "") + stats_text(stats, catalogue().instrument(name)))
    return 0


def cmd_raters_remind(args) -> int:
    from workbook.store import cohort_by_name, remind_cohort_raters

    from .mail import mail_configured

    db = _db()
    if not mail_configured(db.settings):
        raise WorkbookError(_("no SMTP server is configured (WORKBOOK_SMTP_HOST); remind raters from the coach page's "
                              "360 raters tab, where the fresh codes are shown to the coach only"))
    done = remind_cohort_raters(db, _admin(), cohort_by_name(db, args.cohort), due_only=not args.all)
    failed = 0
    for person_id, issued in done.items():
        for i in issued:
            failed += i.delivered == "failed"
            result = _("reminded by e-mail") if i.delivered == "email" else _("FAILED: {error}").format(error=i.error)
            print(_("person {id}").format(id=person_id) + f"\t{i.email}\t{result}")
    print(_("{sent} reminder(s) sent, {failed} failed").format(sent=sum(len(v) for v in done.values()) - failed, failed=failed))
    return 1 if failed else 0


def _unchecked_db():
    """The settings' database opened without the schema check (it may be at an older revision)."""
    from workbook.store import Database

    from .settings import get_settings

    return Database(get_settings().database_url, create=False)


def cmd_db_upgrade(args) -> int:
    db = _unchecked_db()
    try:
        before, after = db.upgrade_schema()
    finally:
        db.dispose()
    print(_("database {database}: schema {before} -> {after}").format(database=db.masked, before=before, after=after) if before != after
          else _("database {database}: schema {after}, already current").format(database=db.masked, after=after))
    return 0


def cmd_db_current(args) -> int:
    from workbook.store.models import SCHEMA_REVISION

    db = _unchecked_db()
    try:
        state = db.schema_state()
    finally:
        db.dispose()
    if state.revision == SCHEMA_REVISION:
        print(_("database {database}: schema {schema} (current)").format(database=db.masked, schema=state.label))
    else:
        print(_("database {database}: schema {schema}; this workbook needs {needed}: run `workbook db upgrade`").format(
            database=db.masked, schema=state.label, needed=SCHEMA_REVISION))
    return 0


def cmd_round_close(args) -> int:
    from workbook.store import close_round

    rid = close_round(_db(), _admin(), args.person, args.instrument, kind=args.kind)
    print(_("round {round} of person {person} on {instrument} closed: its results are shown").format(round=rid, person=args.person, instrument=args.instrument))
    return 0


def package_version() -> str:
    """The installed package's version (pyproject.toml, through the package metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("servuction-workbook")
    except PackageNotFoundError:
        return "unknown (not installed: pip install -e .)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbook", description="Servuction Workbook: serve, manage cohorts, check content.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}", help="print the installed version and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="serve the workbook with Voila")
    p.add_argument("--port", type=int, default=None, help="port (default: settings, 8866)")
    p.add_argument("--demo", action="store_true", help="create or refresh the demo cohort first and print its codes")
    p.add_argument("--pool", action="append", metavar="PAGE=N",
                   help="preheat N kernels of PAGE for this run, e.g. 01_servuction.ipynb=30 when a cohort of 30 "
                        "opens Module 1 together (repeatable; default: the pools setting)")
    p.add_argument("voila_args", nargs=argparse.REMAINDER, metavar="-- VOILA_ARGS",
                   help="after --: more Voila options, which win over the workbook's, e.g. -- --Voila.base_url=/workbook/")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("singleuser", help="a JupyterHub user's server: the workbook's pages only, the person from the hub "
                       "(JupyterHub's Spawner.cmd; see docs/operator/jupyterhub.md)")
    p.add_argument("server_args", nargs=argparse.REMAINDER, metavar="-- SERVER_ARGS",
                   help="after --: more Jupyter server options, which win over the workbook's")
    p.set_defaults(func=cmd_singleuser)

    login = sub.add_parser("login", help="set, change or remove a person's JupyterHub login (the hub user name that signs them "
                           "in under WORKBOOK_AUTH_MODE=jupyterhub)").add_subparsers(dest="action", required=True)
    p = login.add_parser("set", help="give the person this hub login, or change theirs to it")
    p.add_argument("cohort", help="cohort name")
    p.add_argument("name", help="the person's name")
    p.add_argument("hubname", metavar="HUBNAME", help="the JupyterHub user name, exactly as your authenticator gives it")
    p.set_defaults(func=cmd_login)
    p = login.add_parser("clear", help="remove the person's hub login (under JupyterHub they then reach no page)")
    p.add_argument("cohort", help="cohort name")
    p.add_argument("name", help="the person's name")
    p.set_defaults(func=cmd_login)

    p = sub.add_parser("stats", help="reliability (Cronbach's alpha) and aggregates of the instruments, per cohort or all")
    p.add_argument("cohort", nargs="?", help="cohort name (default: every cohort together)")
    p.add_argument("--instrument", action="append", help="an instrument id (repeatable; default: all)")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per instrument (hidden groups: nulls and a reason)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("demo", help="create or refresh the demo cohort (synthetic answers from datasets/)")
    p.add_argument("--all-codes", action="store_true", help="print every demo trainee's code")
    p.set_defaults(func=cmd_demo)

    cohort = sub.add_parser("cohort", help="list or create cohorts").add_subparsers(dest="action", required=True)
    p = cohort.add_parser("list", help="one line per cohort, its name first")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per cohort (id, name, closed, head counts by role)")
    p.set_defaults(func=cmd_cohort_list)
    p = cohort.add_parser("create", help="create a cohort")
    p.add_argument("name")
    p.set_defaults(func=cmd_cohort_create)
    p = cohort.add_parser("path", help="show or set the cohort's path through the workbook (exercises/paths.yaml: workshop, full)")
    p.add_argument("name", help="cohort name")
    p.add_argument("path", nargs="?", help="a path id, e.g. workshop or full (omit to show the current one)")
    p.set_defaults(func=cmd_cohort_path)
    p = cohort.add_parser("language", help="show or set the cohort's default interface language (en, fr, zh); each person may choose their own")
    p.add_argument("name")
    p.add_argument("language", nargs="?", choices=LANGUAGES, help="omit to show the current one")
    p.set_defaults(func=cmd_cohort_language)

    p = sub.add_parser("invite", help="invite a person into a cohort and print their access code once")
    p.add_argument("cohort", help="cohort name")
    p.add_argument("name", nargs="?", help="the person's name (or --csv)")
    p.add_argument("--csv", metavar="FILE", help="invite everyone of a CSV roster (columns name,role,email, and login: the JupyterHub user name) at once; "
                   "all or nobody")
    p.add_argument("--role", choices=ROLES, default="trainee")
    p.add_argument("--email", default="")
    p.add_argument("--login", metavar="HUBNAME", help="the person's JupyterHub user name: with WORKBOOK_AUTH_MODE=jupyterhub they are "
                   "signed in by the hub as this user, never by a code")
    p.add_argument("--codes-out", metavar="FILE", help="with --csv: write the codes as CSV (name,role,email,code, for a mail merge) "
                   "to this new owner-only file instead of printing them")
    p.add_argument("--json", action="store_true", help="print the invited people (and their codes, unless --codes-out) as JSON")
    p.set_defaults(func=cmd_invite, parser=p)

    p = sub.add_parser("reissue", help="a new access code for a person who lost theirs (operator: staff codes too)")
    p.add_argument("cohort", help="cohort name")
    p.add_argument("name", help="the person's name")
    p.set_defaults(func=cmd_reissue)

    p = sub.add_parser("export", help="export a whole cohort as JSON")
    p.add_argument("cohort", help="cohort name")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="import a cohort exported as JSON (one transaction)")
    p.add_argument("file")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("facilitator", help="the facilitator guide and, with --handouts, one handout per module (HTML, PDF) through the report pipeline")
    p.add_argument("--cohort", default="", help="a cohort whose live results the guide shows (default: none)")
    p.add_argument("--format", default="pdf", help="html, pdf or html,pdf (default pdf)")
    p.add_argument("--pdf", action="store_const", const="pdf", dest="format", help="same as --format pdf")
    p.add_argument("--output", "-o", default="facilitator-out", help="directory for the files (default ./facilitator-out)")
    p.add_argument("--handouts", action="store_true", help="also one handout per module (handout-mNN.pdf, one A4 page each)")
    p.add_argument("--workers", type=int, default=2, help="documents produced in parallel (default 2)")
    p.set_defaults(func=cmd_facilitator)

    p = sub.add_parser("backup", help="copy the whole database to a file while it runs (SQLite backup API; pg_dump for PostgreSQL)")
    p.add_argument("-o", "--output", help="file to write (default: <data dir>/backups/workbook-DATE-TIME.db, or .dump for PostgreSQL)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="put a backup made by `workbook backup` into the configured database")
    p.add_argument("file", help="the backup file")
    p.add_argument("--force", action="store_true", help="replace a database that already holds cohorts")
    p.set_defaults(func=cmd_restore)

    content = sub.add_parser("content", help="work with exercises/").add_subparsers(dest="action", required=True)
    p = content.add_parser("check", help="validate every YAML file of exercises/")
    p.add_argument("--dir", help="another content directory")
    p.set_defaults(func=cmd_content_check)
    nbs = sub.add_parser("notebooks", help="maintain the notebooks").add_subparsers(dest="action", required=True)
    p = nbs.add_parser("refresh", help="re-run notebooks on the demo data and keep outputs only for nbval-checked cells")
    p.add_argument("paths", nargs="*", help="notebooks (default: all served notebooks)")
    p.set_defaults(func=cmd_notebooks_refresh)
    p = sub.add_parser("report", help="individual or cohort reports (HTML, PDF) with papermill")
    p.add_argument("what", choices=["person", "cohort"], help="person ID, or cohort NAME (its report plus one per trainee)")
    p.add_argument("target", help="the person's id or the cohort's name")
    p.add_argument("--format", default="html", help="html, pdf or html,pdf (default html)")
    p.add_argument("--output", "-o", default="reports-out", help="directory for the files (default ./reports-out)")
    p.add_argument("--workers", type=int, default=2, help="reports produced in parallel, each with its own kernel (default 2)")
    p.add_argument("--as-of", default="", help="report date YYYY-MM-DD (default today; overdue actions are counted at this date)")
    p.add_argument("--language", default=None, choices=LANGUAGES,
                   help="every report in this language (default: each person's own, the cohort's default for the cohort report)")
    p.set_defaults(func=cmd_report)

    raters = sub.add_parser("raters", help="360 raters").add_subparsers(dest="action", required=True)
    p = raters.add_parser("remind", help="e-mail a fresh code to the cohort's raters who have not answered (run it on a schedule)")
    p.add_argument("cohort", help="cohort name")
    p.add_argument("--all", action="store_true", help="every rater who has not answered, not only those not reminded for "
                   "rater_reminder_days (default 7)")
    p.set_defaults(func=cmd_raters_remind)
    p = raters.add_parser("serve", help="serve the 360 rater page alone, with rater-code sign-in: under JupyterHub, the hub's "
                          "service for raters, who have no hub account (see docs/operator/jupyterhub.md)")
    p.add_argument("--port", type=int, default=None, help="port (default: settings, 8866)")
    p.add_argument("--base-url", default="/services/workbook-raters/",
                   help="the path the page is served under (default: the hub service's, /services/workbook-raters/)")
    p.set_defaults(func=cmd_raters_serve)
    dbs = sub.add_parser("db", help="the database's schema revision (Alembic)").add_subparsers(dest="action", required=True)
    p = dbs.add_parser("upgrade", help="bring the database's schema to this workbook's revision, keeping every row (back it up first)")
    p.set_defaults(func=cmd_db_upgrade)
    p = dbs.add_parser("current", help="print the database's schema revision and whether it is this workbook's")
    p.set_defaults(func=cmd_db_current)
    rounds = sub.add_parser("round", help="360 feedback rounds").add_subparsers(dest="action", required=True)
    p = rounds.add_parser("close", help="close a person's open feedback round now (its results appear)")
    p.add_argument("person", type=int, help="person id")
    p.add_argument("--instrument", default="manager_profile")
    p.add_argument("--kind", choices=["main", "pulse"], default="main")
    p.set_defaults(func=cmd_round_close)
    return parser


EXIT_RUNTIME, EXIT_USAGE = 1, 2  # usage errors: argparse exits 2 itself


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``workbook`` console script: a usage error exits 2 (argparse), a runtime
    error 1, each as one line on stderr."""
    with using(environment_language()):  # the operator's language: the locale environment (LANGUAGE, LC_ALL, LANG)
        args = build_parser().parse_args(argv)
        try:
            return args.func(args) or 0
        except WorkbookError as exc:
            print(_("workbook: error: {message}").format(message=exc), file=sys.stderr)
            return EXIT_RUNTIME
        except KeyboardInterrupt:
            return 130
        except Exception as exc:  # a bug or an unforeseen failure: one line here, the traceback in the log file
            from .logs import log_to_file

            first = (str(exc).strip().splitlines() or [""])[0]
            where = log_to_file("cli", f"workbook {args.command}: unexpected failure", exc)
            print(_("workbook: error: unexpected {kind}: {message} (details in {log})").format(kind=type(exc).__name__, message=first, log=where), file=sys.stderr)
            return EXIT_RUNTIME


if __name__ == "__main__":
    raise SystemExit(main())
