"""The rater page: a 360-degree rater signs in with their rater code and answers the items
phrased about the person they rate. They see nothing else: no scores, no other raters."""
from __future__ import annotations

import ipywidgets as w

from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.i18n import _, ngettext
from workbook.render.fragments import render_fragment
from workbook.settings import get_settings
from workbook.store import Database, rater_answers, rater_task, save_rater_answer
from workbook.store.raters import COMMENT_ITEM

from ..widgets.common import HTML, StatusLine, safe
from ..widgets.likert import LikertForm
from ..widgets.saver import AnswerSaver
from .shell import Page


def rater_intro_text() -> str:
    """What the rater page is, and how raters' answers are protected (from the settings in force), in the current language."""
    st = get_settings()
    manager = _("a manager's answers may be shown on their own") if st.manager_shown_alone else _("a manager is never shown alone")
    return (
        _("This page is for raters invited to give 360-degree feedback. Sign in with the rater code you were sent.") + "\n"
        + _("Your answers are shown only pooled with your group (peers, direct reports or clients), once at least {threshold} "
            "people of that group have answered; {manager}. Your name is never shown, and comments appear without attribution, "
            "in random order.").format(threshold=st.anonymity_threshold, manager=manager)
    )


def _body(db: Database, identity: Identity) -> list[w.Widget]:
    task = rater_task(db, identity)
    inst = catalogue().instrument(task.instrument)
    if task.closed:
        return [HTML(render_fragment("rater_page", part="closed", subject=task.subject_name))]
    if task.items is not None:  # a pulse round: only the behaviours the action plan targets
        inst = inst.model_copy(update={"items": [i for i in inst.items if i.id in task.items]})
    status = StatusLine()
    status.add_class("wb-rater-status")
    asked = {i.id for i in inst.items_for(task.category)}  # a category sees only the items it can judge
    count = len(asked)

    def saved_line() -> None:
        answered = sum(1 for k, v in rater_answers(db, identity).items() if k in asked and v is not None)
        line = ngettext("Saved · {answered} of {count} statement answered", "Saved · {answered} of {count} statements answered", count)
        status.ok(line.format(answered=answered, count=count) + (" — " + _("thank you, you can close this page.") if answered == count else ""))

    # Kept on the page and retried while the store is down, like a trainee's answers.
    saver = AnswerSaver(db, identity, "rater", status, on_saved=safe(status)(saved_line),
                        write=lambda _exercise, item, value: save_rater_answer(db, identity, item, value))

    def on_change(item: str, value: object) -> None:
        saver.save(inst.id, item, value)

    form = LikertForm(inst, lambda item, value: safe(status)(on_change)(item, value), phrasing="rater", category=task.category)
    answers = rater_answers(db, identity)
    form.restore(answers)
    comment = w.Textarea(value=str(answers.get(COMMENT_ITEM, "")), placeholder=_("Optional; saved when you leave the box."), layout=w.Layout(width="100%", height="90px"))
    comment.continuous_update = False
    comment.add_class("wb-rater-comment")
    comment.observe(lambda ch: safe(status)(on_change)(COMMENT_ITEM, ch["new"]), names="value")
    return [
        HTML(render_fragment("rater_page", part="intro", subject=task.subject_name)),
        form,
        HTML(render_fragment("rater_page", part="comment")),
        comment,
        status,
    ]


def rater_page(db: Database | None = None) -> Page:
    """The page a rater opens with their code."""
    return Page(lambda: _("360-degree feedback"), lambda: _("Rater page"), _body, roles=("rater",), db=db)
