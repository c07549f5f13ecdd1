"""Pages in the person's language, in-process (issue #15): the coach sets the cohort's default on the coach
page's Language tab; a trainee who never chose gets it at sign-in; choosing another on any page re-renders
the page and saves it with the person, and the next page opens in it."""
from __future__ import annotations

from widget_tools import button, find

from workbook.store import chosen_language, cohort_language
from workbook.ui.pages.coach import coach_page
from workbook.ui.pages.coach_language import LanguageControl
from workbook.ui.pages.home import home_page


def test_cohort_default_then_a_persons_own_choice(db, cohort):
    coach = coach_page(db=db)
    coach.signin.code.value = cohort["people"]["Coach C"]["code"]
    control = find(coach, LanguageControl)[0]
    control.choice.value = "fr"
    button(control, "Use this language for the cohort").click()
    assert cohort_language(db, cohort["ident"]["Coach C"], cohort["id"]) == "fr"

    ann = cohort["ident"]["Ann"]
    home = home_page(db=db)
    assert home.signin.button.description == "Sign in"  # nobody signed in yet: English
    home.signin.code.value = cohort["people"]["Ann"]["code"]
    assert home.language == "fr" and home.signin.signout.description == "Se déconnecter"  # the cohort's default
    assert "Bienvenue" in home.body.children[0].value and 'data-wb-lang="fr"' in home._lang.value
    assert chosen_language(db, ann, ann.person_id) is None  # nothing chosen by Ann herself

    home.signin.language.value = "zh"  # Ann picks Chinese on the page
    assert chosen_language(db, ann, ann.person_id) == "zh"
    assert "首页" in home.children[1].value and "欢迎" in home.body.children[0].value
    assert cohort_language(db, cohort["ident"]["Coach C"], cohort["id"]) == "fr"  # the cohort's default unchanged

    again = home_page(db=db)
    again.signin.code.value = cohort["people"]["Ann"]["code"]
    assert again.language == "zh" and again.signin.signout.description == "退出登录"


def test_choosing_a_language_keeps_the_sign_in_box_in_place(db, cohort):
    """Choosing a language before signing in changes the words, not the widgets before the intro: the browser
    redraws a box's views from its first changed child on, so a new banner redrew the sign-in box under the
    visitor's cursor (a click on "Se connecter" then landed on a detached button)."""
    coach = coach_page(db=db)
    before = list(coach.children)
    at = before.index(coach.signin)
    english_banner = before[1].value
    coach.signin.language.value = "fr"
    assert coach.signin.button.description == "Se connecter"
    assert all(a is b for a, b in zip(coach.children[:at + 1], before[:at + 1], strict=True)), \
        "a widget before the sign-in box was replaced: the browser redraws the sign-in box"
    assert before[1].value != english_banner  # the kept banner now carries the French words
    coach.signin.code.value = cohort["people"]["Coach C"]["code"]
    assert coach.identity is not None and coach.language == "fr"
