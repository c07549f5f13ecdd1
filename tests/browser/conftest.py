"""The browser tests' shared fixtures: a fresh page per test, and the module's server database (each module
starts its own ``server``). tests/servers.py has the helpers every browser test uses (open_page, sign_in, …)."""
from __future__ import annotations

import pytest
from servers import browser_page, served_database


@pytest.fixture
def page(browser):
    """A page of its own (fresh context: no cookie of another test), 1200×900, the slow machine's timeout."""
    with browser_page(browser) as pg:
        yield pg


@pytest.fixture(scope="module")
def served_db(server):
    """The database of the module's own ``server``, read in the test's process (``db`` stays the fresh one of tests/conftest.py)."""
    with served_database(server) as d:
        yield d
