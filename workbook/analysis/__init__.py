"""Analysis: a person's and a cohort's results (scores, 360, cohort scores and statistics) read
through the store and computed with the domain's pure functions.

Rule: may import store, domain, auth, content and the ground modules; never render, reporting, serving or ui.
"""
