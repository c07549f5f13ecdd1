"""workbook/render/charts.py builds Altair's table of channel classes once (``_one_channel_table``): a shorthand
channel ("score:Q") costs no rebuilt table, and a chart's spec is the one Altair's explicit channel classes give."""
from __future__ import annotations

import altair as alt
import pandas as pd
from altair.utils import schemapi

from workbook.render import charts  # noqa: F401  (its import builds the one table)

FRAME = pd.DataFrame({"phase": ["Tender", "Run"], "start": [0, 3], "end": [3, 9], "place": ["client site", "remote"]})


def _shorthand() -> alt.Chart:
    return alt.Chart(FRAME).mark_bar().encode(y="phase:N", x="start:Q", x2="end:Q", color="place:N", tooltip=["phase", "place:N"])


def _explicit() -> alt.Chart:
    return alt.Chart(FRAME).mark_bar().encode(y=alt.Y("phase:N"), x=alt.X("start:Q"), x2=alt.X2("end:Q"), color=alt.Color("place:N"),
                                              tooltip=[alt.Tooltip("phase"), alt.Tooltip("place:N")])


def test_a_shorthand_channel_gives_the_spec_of_altairs_channel_class():
    shorthand = _shorthand()
    assert isinstance(shorthand.encoding.x, alt.X) and isinstance(shorthand.encoding.tooltip[1], alt.Tooltip)
    assert shorthand.to_dict(validate=True) == _explicit().to_dict(validate=True)


def test_a_shorthand_channel_builds_no_table_of_altairs_classes(monkeypatch):
    _shorthand()  # the table of the first chart of the process
    built = []
    real = schemapi._FromDict.__init__
    monkeypatch.setattr(schemapi._FromDict, "__init__", lambda self, classes, /: built.append(1) or real(self, classes))
    for _ in range(5):
        _shorthand().to_dict()
    assert built == []
