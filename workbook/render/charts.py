"""Altair charts from plain data frames (one function per chart), rendered to inline SVG.

Charts are drawn server-side with vl-convert so a page or a report needs no JavaScript and
no CDN: a workshop room without internet still sees every chart.
"""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

from workbook.i18n import _, _l, current_language, format_number, format_percentage

from .chart_style import CHART_FONTS, PALETTE, labelled_svg, missing, number_text, summary_text  # noqa: F401  (charts.X for callers)


def _one_channel_table() -> None:
    """Altair turns each shorthand channel (``x="score:Q"``) into its class through a table of its schema classes'
    hashes that it built again for every channel (~4 ms each: most of the CPU of building a chart with four of them,
    on every page's results redraw). Built once per kind of schema here, from the same classes, so the same chart
    gives the same spec (tests/unit/render/test_altair_channels.py)."""
    from altair.utils import schemapi

    base = getattr(schemapi, "SchemaBase", None)
    if base is None or not hasattr(schemapi, "_FromDict") or getattr(base.from_dict, "_workbook", False):
        return  # another Altair: its own from_dict, as it comes
    tables: dict[object, object] = {}

    def from_dict(cls, dct, validate=True):
        if validate:
            cls.validate(dct)
        kind = cls._default_wrapper_classes.__func__  # SchemaBase's own or VegaLiteSchema's: one table each
        if kind not in tables:
            tables[kind] = schemapi._FromDict(cls._default_wrapper_classes())
        return tables[kind].from_dict(dct, cls)

    from_dict._workbook = True
    base.from_dict = classmethod(from_dict)


_one_channel_table()



def chart_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec with the current language's font (``CHART_FONTS``). Not validated
    against the Vega-Lite schema again (a third of a results redraw's CPU): the chart functions are
    fixed code, their specs checked against the schema by the chart tests (test_signin_costs), and
    vl-convert refuses a spec it cannot draw."""
    spec = chart.to_dict(validate=False)
    font = CHART_FONTS.get(current_language())
    if font:
        spec.setdefault("config", {}).setdefault("font", font)
    return spec


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG document (no browser, no network): drawn by the server's shared renderer
    when there is one (setting ``chart_renderer_socket``: page kernels then never load vl-convert),
    else here with vl-convert. Both give the same SVG for the same spec (its font chosen by language)."""
    spec = chart_spec(chart)
    svg = _shared_svg(spec)
    if svg is None:
        import vl_convert as vlc

        svg = vlc.vegalite_to_svg(spec)
    return labelled_svg(svg, text_alternative(spec))


def text_alternative(spec: dict) -> str:
    """What a screen reader says for a chart: its ``description`` (a summary sentence of its data, set by the
    chart's function), else its title."""
    title = spec.get("title") or next((layer.get("title") for layer in spec.get("layer", []) if layer.get("title")), None)
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    parts = [str(x) for x in (title, spec.get("description")) if x]
    return ": ".join(parts) if parts else ""


def _shared_svg(spec: dict) -> str | None:
    """The SVG from the shared renderer, or None when there is none, it cannot be reached or it
    failed on the spec (the caller then draws it itself, and meets the same error with its detail)."""
    import logging
    import socket

    from workbook.settings import get_settings

    path = get_settings().chart_renderer_socket
    if not path:
        return None
    from .chart_server import read_message, send_message

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(60)
            sock.connect(path)
            send_message(sock, json.dumps(spec).encode("utf-8"))
            reply = read_message(sock)
    except OSError:
        logging.getLogger("workbook").warning("chart renderer at %s not reachable: drawing in this kernel", path)
        return None
    if reply.startswith(b"!"):
        return None
    return reply.decode("utf-8")


def to_svg_cached(chart: alt.TopLevelMixin) -> str:
    """``to_svg`` through a file cache under the data directory, keyed by the chart's full spec.

    For fixed teaching figures: a new kernel reads the SVG instead of starting vl-convert
    (about 2.5 s and 80 MB per kernel). Any change of data or spec gives a new key.
    """
    import hashlib
    import json
    import os

    from workbook.settings import get_settings

    spec = json.dumps(chart_spec(chart), sort_keys=True, default=str)
    path = get_settings().data_dir / "cache" / "svg" / f"{hashlib.sha256(spec.encode()).hexdigest()[:32]}.svg"
    try:
        return labelled_svg(path.read_text(encoding="utf-8"), text_alternative(json.loads(spec)))  # a file cached before the labels
    except OSError:
        pass
    svg = to_svg(chart)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(svg, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only data directory only costs the speed-up
    return svg


def _dec(value: object, digits: int = 1, signed: bool = False) -> str:
    """A figure as the current language writes it (``3,5`` in French), with its sign when ``signed`` (``+0,5``, ``-1``)."""
    if value is None or pd.isna(value):
        return "—"
    v = round(float(value), digits) + 0.0  # no "-0"
    text = format_number(abs(v) if signed else v, digits)
    return ("+" if v > 0 else "-" if v < 0 else "") + text if signed else text


# The servuction triangle (seed 002): client on top, provider bottom left, service bottom right.
TRIANGLE_VERTICES = {"client": (0.5, 0.87), "provider": (0.0, 0.0), "service": (1.0, 0.0)}
TRIANGLE_LINKS = {"mastery": ("provider", "service"), "relationship": ("provider", "client"), "involvement": ("client", "service")}


def servuction_triangle(frame: pd.DataFrame, entities: dict[str, str], title: str = "") -> alt.LayerChart:
    """The triangle client–provider–service; each side is a link, drawn thicker the higher its 0–100
    score and in the accent colour when it is the favoured link. ``frame``: link, label, score_100,
    favoured (bool); ``entities``: the vertex labels by entity id."""
    edges = []
    for row in frame.itertuples(index=False):
        (a, b) = TRIANGLE_LINKS[row.link]
        (x, y), (x2, y2) = TRIANGLE_VERTICES[a], TRIANGLE_VERTICES[b]
        score = None if pd.isna(row.score_100) else float(row.score_100)
        # labels sit just outside the side's midpoint
        mx, my = (x + x2) / 2, (y + y2) / 2
        ox, oy = mx - 0.5, my - 0.29
        norm = (ox**2 + oy**2) ** 0.5 or 1.0
        text = _("{label}: {text}").format(label=row.label, text=f"{score:.0f}" if score is not None else "—")
        text += " ★" if bool(row.favoured) else ""  # the favoured link told by a star as well as by colour
        edges.append({
            "x": x, "y": y, "x2": x2, "y2": y2, "width": 2 + (score or 0) / 100 * 16,
            "colour": "favoured" if bool(row.favoured) else ("scored" if score is not None else "unscored"),
            "lx": mx + ox / norm * 0.27, "ly": my + oy / norm * 0.12, "text": text,
        })
    edge_data = pd.DataFrame(edges)
    vertex_data = pd.DataFrame([{"x": x, "y": y, "name": entities.get(e, e)} for e, (x, y) in TRIANGLE_VERTICES.items()])
    xs = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.35, 1.35]))
    ys = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.25, 1.05]))
    colour = alt.Color(
        "colour:N", legend=None,
        scale=alt.Scale(domain=["favoured", "scored", "unscored"], range=[PALETTE["accent"], PALETTE["primary"], PALETTE["muted"]]),
    )
    sides = alt.Chart(edge_data).mark_rule(strokeCap="round").encode(
        x=xs, y=ys, x2="x2:Q", y2="y2:Q", color=colour, strokeWidth=alt.StrokeWidth("width:Q", legend=None, scale=None)
    )
    side_labels = alt.Chart(edge_data).mark_text(fontSize=13, fontWeight="bold").encode(
        x=alt.X("lx:Q", axis=None, scale=alt.Scale(domain=[-0.35, 1.35])),
        y=alt.Y("ly:Q", axis=None, scale=alt.Scale(domain=[-0.25, 1.05])), text="text:N", color=colour,
    )
    dots = alt.Chart(vertex_data).mark_circle(size=420, color="#1d2733", opacity=1).encode(x=xs, y=ys)
    names = alt.Chart(vertex_data).mark_text(dy=-20, fontSize=14).encode(x=xs, y=ys, text="name:N")
    summary = summary_text([e["text"] for e in edges])
    return (sides + side_labels + dots + names).properties(width=440, height=340, title=title, description=summary).configure_view(stroke=None)


def category_counts(frame: pd.DataFrame, title: str = "", axis: str = "") -> alt.Chart:
    """Horizontal bars: how many of the person's rows fall in each category (``label``, ``count``)."""
    base = alt.Chart(frame, title=title).encode(
        y=alt.Y("label:N", title=None, sort=None),
        x=alt.X("count:Q", title=axis or None, axis=alt.Axis(tickMinStep=1, format="d")),
    )
    bars = base.mark_bar(color=PALETTE["primary"], height=22)
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("count:Q", format="d"))
    return (bars + labels).properties(width=380, height=alt.Step(34),
                                      description=summary_text([f"{r.label} {number_text(r.count, '.0f')}" for r in frame.itertuples()]))


def score_distribution(frame: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """A cohort's 0–100 scores per dimension: one tick per person (never labelled) and the mean."""
    base = alt.Chart(frame, title=title).encode(y=alt.Y("dimension:N", title=None, sort=None))
    ticks = base.mark_tick(color=PALETTE["primary"], thickness=2, size=18, opacity=0.7).encode(
        x=alt.X("score_100:Q", title=_("score (0–100)"), scale=alt.Scale(domain=[0, 100]))
    )
    means = base.mark_point(shape="diamond", size=120, filled=True, color=PALETTE["accent"]).encode(x="mean(score_100):Q")
    means_by = frame.groupby("dimension", sort=False)["score_100"].mean() if len(frame) else pd.Series(dtype=float)
    return (ticks + means).properties(width=420, height=alt.Step(34),
                                      description=summary_text([f"{d} {number_text(m)}" for d, m in means_by.items()]))


def scores_with_cohort(frame: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """A person's 0–100 bars per dimension with the cohort mean as a tick (``cohort_mean`` may be empty)."""
    data = frame.dropna(subset=["score_100"])
    base = alt.Chart(data, title=title).encode(y=alt.Y("dimension:N", title=None, sort=None))
    bars = base.mark_bar(color=PALETTE["primary"], height=20).encode(x=alt.X("score_100:Q", title=_("score (0–100)"), scale=alt.Scale(domain=[0, 100])))
    labels = base.mark_text(align="left", dx=4).encode(x="score_100:Q", text=alt.Text("score_100:Q", format=".0f"))
    layers = [bars, labels]
    if "cohort_mean" in data and data["cohort_mean"].notna().any():
        layers.append(base.transform_filter("isValid(datum.cohort_mean)").mark_tick(color=PALETTE["accent"], thickness=3, size=28).encode(x="cohort_mean:Q"))
    parts = [f"{r.dimension} {number_text(r.score_100)}" + (f" ({number_text(r.cohort_mean)})" if "cohort_mean" in data and pd.notna(getattr(r, "cohort_mean", None)) else "")
             for r in data.itertuples()]
    return alt.layer(*layers).properties(width=420, height=alt.Step(34), description=summary_text(parts))


def timeline_chart(frame: pd.DataFrame, title: str, axis: str, legend: str, place_labels: dict[str, str]) -> alt.Chart:
    """Phases of a client relationship as bars laid end to end, coloured by where they happen."""
    data = frame.assign(place=frame["where"].map(lambda p: place_labels.get(p, "—") if p else "—"))
    # each bar says where it happens as well as who: the places are never told by colour alone
    data["label"] = [f"{r.who} ({r.place})" if str(r.who or "").strip() else str(r.place) for r in data.itertuples()]
    order = list(data["phase"])
    colours = [PALETTE["accent"], PALETTE["primary"], "#4c9f70", PALETTE["muted"]]
    domain = list(dict.fromkeys(list(place_labels.values()) + ["—"]))
    base = alt.Chart(data, title=title).encode(y=alt.Y("phase:N", title=None, sort=order))
    bars = base.mark_bar(height=20).encode(
        x=alt.X("start:Q", title=axis),
        x2="end:Q",
        color=alt.Color("place:N", title=legend, scale=alt.Scale(domain=domain, range=colours[: len(domain)])),
        tooltip=["phase", "duration", "place", "who"],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color="#1d2733").encode(x="end:Q", text="label:N")
    parts = [f"{r.phase} {number_text(r.duration, 'g')} ({r.place}{', ' + str(r.who) if str(r.who or '').strip() else ''})" for r in data.itertuples()]
    return (bars + labels).properties(width=460, height=alt.Step(32), description=summary_text(parts))


def ipa_chart(frame: pd.DataFrame, high: float, top: int, title: str, x_title: str, y_title: str, category_labels: dict[str, str]) -> alt.Chart:
    """Importance to clients against investment, split at ``high`` into Martilla & James's quadrants.

    Elements never identified by the provider sit on the importance axis (investment 0),
    elements clients ignore on the investment axis (importance 0).
    """
    data = frame.assign(what=frame["category"].map(category_labels))
    # elements at the same spot get their labels stacked instead of printed over each other; those
    # on the investment axis (never cited) are written upwards so they do not run into each other
    rank = data.groupby(["investment", "importance"]).cumcount()
    data["label_y"] = data["importance"] - 0.28 * rank
    data["label_x"] = data["investment"] + 0.22 * rank
    scale = alt.Scale(domain=[0, top + 0.5], nice=False)
    cats = list(category_labels.values())
    colours = ["#b3261e", "#9a5b00", PALETTE["accent"], "#23723a", PALETTE["muted"], PALETTE["primary"]]
    points = alt.Chart(data).mark_circle(size=140, opacity=0.85).encode(
        x=alt.X("investment:Q", title=x_title, scale=scale, axis=alt.Axis(tickMinStep=1, values=list(range(top + 1)))),
        y=alt.Y("importance:Q", title=y_title, scale=scale, axis=alt.Axis(tickMinStep=1, values=list(range(top + 1)))),
        color=alt.Color("what:N", title=None, scale=alt.Scale(domain=cats, range=colours[: len(cats)])),
        tooltip=["element", "importance", "investment", "what"],
    )
    labels = alt.Chart(data[data["importance"] > 0]).mark_text(align="left", dx=9, dy=-6, fontSize=11).encode(x="investment:Q", y="label_y:Q", text="element:N")
    upright = alt.Chart(data[data["importance"] == 0]).mark_text(align="left", baseline="middle", angle=270, dx=10, fontSize=11).encode(
        x="label_x:Q", y="importance:Q", text="element:N"
    )
    cut = high - 0.5
    corners = pd.DataFrame([
        {"x": cut / 2, "y": top + 0.35, "text": category_labels.get("concentrate", "")},
        {"x": (cut + top + 0.5) / 2, "y": top + 0.35, "text": category_labels.get("keep_up", "")},
        {"x": cut / 2, "y": cut - 0.15, "text": category_labels.get("low_priority", "")},
        {"x": (cut + top + 0.5) / 2, "y": cut - 0.15, "text": category_labels.get("overkill", "")},
    ])
    quadrants = alt.Chart(corners).mark_text(fontSize=10, fontStyle="italic", color=PALETTE["muted"]).encode(x="x:Q", y="y:Q", text="text:N")
    vrule = alt.Chart(pd.DataFrame({"x": [cut]})).mark_rule(strokeDash=[4, 4], color=PALETTE["muted"]).encode(x="x:Q")
    hrule = alt.Chart(pd.DataFrame({"y": [cut]})).mark_rule(strokeDash=[4, 4], color=PALETTE["muted"]).encode(y="y:Q")
    parts = [f"{r.element} {number_text(r.importance, 'g')}/{number_text(r.investment, 'g')} ({r.what})" for r in data.itertuples()]
    return (vrule + hrule + quadrants + points + labels + upright).properties(title=title, width=380, height=380, description=summary_text(parts))


def classification_chart(frame: pd.DataFrame, title: str, theme_title: str, count_title: str) -> alt.Chart:
    """Per theme, how many statements were classified like the key and how many were not."""
    base = alt.Chart(frame).encode(
        y=alt.Y("theme:N", title=theme_title, sort=None),
        x=alt.X("count:Q", title=count_title, stack="zero", axis=alt.Axis(tickMinStep=1)),
        detail="result:N",
        order=alt.Order("rank:Q"),
    )
    bars = base.mark_bar(height=18).encode(color=alt.Color("result:N", title=None, sort=None, scale=alt.Scale(range=["#23723a", "#b3261e"])))
    # each segment marked ✓ (like the key) or ✗ with its count: the two results are never told by colour alone
    marks = base.transform_filter("datum.count > 0").transform_calculate(mark="(datum.rank == 0 ? '✓ ' : '✗ ') + datum.count").mark_text(
        align="right", dx=-4, fontSize=11, fontWeight="bold", color="#ffffff").encode(text="mark:N")
    parts = [f"{r.theme}: {r.result} {number_text(r.count)}" for r in frame.itertuples()]
    return alt.layer(bars, marks, title=title).properties(width=380, height=alt.Step(28), description=summary_text(parts))


# ---------------------------------------------------------------- journey maps (Module 5)

ELEMENT_COLOURS = {"process": PALETTE["primary"], "outcome": PALETTE["accent"]}
BLUEPRINT_LANES = ("stage", "touchpoint", "client", "front", "back", "support")  # the lanes top to bottom (codes)
LANE_TEXT = {"stage": _l("Stage"), "touchpoint": _l("Touchpoint"), "client": _l("Client actions"), "front": _l("Front stage (visible)"),
             "back": _l("Back stage (invisible)"), "support": _l("Support processes")}
BLUEPRINT_LINES = (
    ("front", _l("line of interaction"), [6, 0]),
    ("back", _l("line of visibility"), [8, 4]),
    ("support", _l("line of internal interaction"), [2, 3]),
)


def _wrap(text: str, width: int = 22, lines: int = 6) -> str:
    import textwrap

    out = textwrap.wrap(" ".join(str(text).split()), width=width) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return "\n".join(out)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _steps(frame: pd.DataFrame) -> pd.DataFrame:
    data = frame.copy()
    data["step"] = [f"{s}. {n}" for s, n in zip(data["seq"], data["name"])]
    first = ~data["stage_id"].duplicated()
    counts = data.groupby("stage_id")["seq"].transform("count")
    data["stage_start"] = first
    data["stage_label"] = [_cut(str(st), max(7, 9 * c)) for st, c in zip(data["stage"], counts)]
    data["stage_row"] = data["stage_index"] % 2
    return data


def emotion_curve(frame: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """Emotion (−2…+2) per touchpoint in journey order: points coloured by element type, moments of truth as large diamonds, stages marked."""
    from workbook.domain.journey import label

    title = title or _("The client's emotion along the journey")
    moments = [_("moment of truth"), _("other touchpoint")]
    elements = {code: label(code) for code in ELEMENT_COLOURS}
    data = _steps(frame)
    data["moment"] = [moments[0] if v else moments[1] for v in data["moment_of_truth"]]
    data["element"] = [elements.get(e, e) for e in data["element"]]
    data["label_y"] = [2.85 if r == 0 else 2.5 for r in data["stage_row"]]
    order = list(data["step"])
    x = alt.X("step:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40, labelLimit=170))
    emotion = _("client's emotion")
    y = alt.Y("emotion:Q", title=emotion, scale=alt.Scale(domain=[-2.6, 2.9]), axis=alt.Axis(values=[-2, -1, 0, 1, 2]))
    base = alt.Chart(data)
    zero = alt.Chart(pd.DataFrame({"emotion": [0]})).mark_rule(color=PALETTE["muted"], strokeDash=[3, 3]).encode(y=y)
    starts = base.transform_filter("datum.stage_start")
    bounds = starts.mark_rule(color="#c5ced8").encode(x=alt.X("step:N", sort=order, bandPosition=0))
    stages = starts.mark_text(align="left", baseline="top", dx=4, fontSize=10, fontWeight="bold", color="#3b4856").encode(
        x=alt.X("step:N", sort=order, bandPosition=0),
        y=alt.Y("label_y:Q", title=emotion, scale=alt.Scale(domain=[-2.6, 2.9]), axis=alt.Axis(values=[-2, -1, 0, 1, 2])), text="stage_label:N"
    )
    line = base.mark_line(color=PALETTE["muted"], strokeWidth=2).encode(x=x, y=y, order="seq:Q")
    # the element type is told by colour and by fill (process solid, outcome hollow): never by colour alone
    points = base.mark_point(filled=True, opacity=1, strokeWidth=2).encode(
        x=x,
        y=y,
        fill=alt.Fill("element:N", title=_("Element"), scale=alt.Scale(domain=list(elements.values()), range=[ELEMENT_COLOURS["process"], "#ffffff"])),
        stroke=alt.Stroke("element:N", title=_("Element"), scale=alt.Scale(domain=list(elements.values()), range=list(ELEMENT_COLOURS.values()))),
        shape=alt.Shape("moment:N", title=_("Moment of truth"), scale=alt.Scale(domain=moments, range=["diamond", "circle"])),
        size=alt.Size("moment:N", title=_("Moment of truth"), scale=alt.Scale(domain=moments, range=[260, 80])),
    )
    width = max(420, 62 * len(data))
    parts = [f"{r.step} {number_text(r.emotion, '+.0f')} ({r.element}{', ' + r.moment if r.moment_of_truth else ''})" for r in data.itertuples()]
    return alt.layer(bounds, zero, line, points, stages, title=title).properties(width=width, height=260, description=summary_text(parts))


def emotion_compare(frame: pd.DataFrame, title: str = "") -> alt.Chart:
    """One line per map of the mean emotion per stage (before/after, as-is/to-be)."""
    title = title or _("Mean emotion per stage, map against map")
    order = list(dict.fromkeys(frame.sort_values("stage_index")["stage"]))
    enc = dict(
        x=alt.X("stage:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=160)),
        y=alt.Y("emotion:Q", title=_("mean emotion"), scale=alt.Scale(domain=[-2, 2])),
        color=alt.Color("map:N", title=_("Map"), scale=alt.Scale(range=[PALETTE["muted"], PALETTE["primary"], PALETTE["accent"]])),
        strokeDash=alt.StrokeDash("map:N", title=_("Map")),  # same title as the colour: one legend showing colour and dash
        shape=alt.Shape("map:N", title=_("Map")),
    )
    line = alt.Chart(frame, title=title).mark_line(point=True, strokeWidth=2.5).encode(**enc)
    return line.properties(width=max(360, 70 * len(order)), height=220, description=compare_summary(frame))


def compare_summary(frame: pd.DataFrame) -> str:
    """The comparison's figures: per map, each stage's mean emotion (``1. As is: Survey +1; Tender -0,5; …``)."""
    data = frame.sort_values(["map", "stage_index"], kind="stable")
    parts = [f"{m}: " + ", ".join(f"{r.stage} {_dec(r.emotion, 1, signed=True)}" for r in g.itertuples()) for m, g in data.groupby("map", sort=False)]
    return summary_text(parts)


def blueprint_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Touchpoints to blueprint cells: one row per (touchpoint, lane) with wrapped text."""
    data = _steps(frame)
    rows = []

    def who(actors: str, text: str) -> str:
        return f"{actors}: {text}" if actors and text else actors or text

    for r in data.itertuples():
        cells = {
            "stage": r.stage if r.stage_start else "",
            "touchpoint": ("★ " if r.moment_of_truth else "") + f"{r.name} — {r.location}, {r.channel}",  # not by the red frame alone
            "client": who(r.client_actors, r.client_action),
            "front": who(r.front_actors, r.frontstage),
            "back": who(r.back_actors, r.backstage),
            "support": r.support,
        }
        for lane, text in cells.items():
            rows.append({"step": r.step, "seq": r.seq, "lane": str(LANE_TEXT[lane]), "code": lane, "text": _wrap(text, 20 if lane != "stage" else 18),
                         "filled": bool(text), "element": r.element, "moment_of_truth": bool(r.moment_of_truth)})
    return pd.DataFrame(rows, columns=["step", "seq", "lane", "code", "text", "filled", "element", "moment_of_truth"])


def service_blueprint(frame: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """Swimlanes (client actions, front stage, back stage, support) per touchpoint, with the lines of interaction, visibility and internal interaction."""
    title = title or _("Service blueprint")
    lanes = [str(LANE_TEXT[c]) for c in BLUEPRINT_LANES]
    cells = blueprint_frame(frame)
    order = list(dict.fromkeys(cells.sort_values("seq")["step"]))
    x = alt.X("step:N", sort=order, title=None, axis=None)
    lane_axis = alt.Axis(labelLimit=170, labelFontWeight="bold", ticks=False, domain=False)
    y = alt.Y("lane:N", sort=lanes, title=None, axis=lane_axis)
    y_top = alt.Y("lane:N", sort=lanes, title=None, axis=lane_axis, bandPosition=0)
    base = alt.Chart(cells)
    boxes = base.transform_filter("datum.filled && datum.code != 'stage'").mark_rect(
        cornerRadius=4, stroke="#c5ced8", fill="#f7f9fb", width={"band": 0.92}, height={"band": 0.86}
    ).encode(x=x, y=y)
    mot = base.transform_filter("datum.moment_of_truth && datum.code == 'touchpoint'").mark_rect(
        cornerRadius=4, stroke="#b3261e", strokeWidth=2, fillOpacity=0, width={"band": 0.92}, height={"band": 0.86}
    ).encode(x=x, y=y)
    texts = base.mark_text(align="left", baseline="top", dx=-60, dy=-38, fontSize=10, lineBreak="\n", color="#1d2733").encode(x=x, y=y, text="text:N")
    lines_df = pd.DataFrame([{"lane": str(LANE_TEXT[lane]), "line": str(name), "n": n} for n, (lane, name, _d) in enumerate(BLUEPRINT_LINES)])
    lines = []
    for n, (_lane, _name, dash) in enumerate(BLUEPRINT_LINES):
        one = alt.Chart(lines_df[lines_df["n"] == n])
        lines.append(one.mark_rule(color="#b3261e" if n < 2 else "#6b7785", strokeWidth=1.5, strokeDash=dash).encode(y=y_top))
        lines.append(one.mark_text(align="right", baseline="bottom", dy=-1, fontSize=10, fontStyle="italic", color="#b3261e" if n < 2 else "#6b7785").encode(
            y=y_top, x=alt.value(130 * len(order) - 4), text="line:N"))
    stage_starts = base.transform_filter("datum.code == 'stage' && datum.filled").mark_rule(color="#9aa5b1").encode(x=alt.X("step:N", sort=order, bandPosition=0, axis=None))
    return alt.layer(boxes, mot, stage_starts, *lines, texts, title=title).properties(width=130 * max(1, len(order)), height=alt.Step(92),
                                                                                    description=blueprint_summary(frame))


def blueprint_summary(frame: pd.DataFrame) -> str:
    """The blueprint's figures: touchpoints and stages, the moments of truth, how many touchpoints fill each lane."""
    data = _steps(frame)
    moments = ", ".join(data.loc[data["moment_of_truth"].astype(bool), "step"]) or _("none")
    filled = {str(LANE_TEXT[lane]): int(sum(bool(str(a or "").strip() or str(b or "").strip()) for a, b in zip(data[x], data[y])))
              for lane, (x, y) in {"client": ("client_actors", "client_action"), "front": ("front_actors", "frontstage"),
                                   "back": ("back_actors", "backstage"), "support": ("support", "support")}.items()}
    return summary_text([
        _("touchpoints: {touchpoints} in {stages} stages").format(touchpoints=len(data), stages=data["stage_id"].nunique()),
        _("moments of truth: {names}").format(names=moments),
        _("touchpoints per lane: {lanes}").format(lanes=", ".join(f"{lane} {n}" for lane, n in filled.items())),
    ])


def experience_survey(frame: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """Grouped bars of survey percentages: one group per statement, one bar per population (B2B, B2C)."""
    title = title or _("Salesforce Research 2019, as reported by Mathieu (§2.2.2.2)")
    order = list(dict.fromkeys(frame["statement"]))
    colours = alt.Scale(domain=["B2B", "B2C"], range=[PALETTE["primary"], PALETTE["muted"]])
    base = alt.Chart(frame).encode(
        y=alt.Y("statement:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
        yOffset=alt.YOffset("population:N", sort=["B2B", "B2C"]),
        x=alt.X("percent:Q", title=_("% of respondents"), scale=alt.Scale(domain=[0, 100])),
    )
    bars = base.mark_bar().encode(color=alt.Color("population:N", title=None, scale=colours))
    # each bar says its population as well as its figure: B2B and B2C are never told by colour alone
    labels = base.transform_calculate(label="datum.population + ' ' + format(datum.percent, '.0f')").mark_text(align="left", dx=3, fontSize=11).encode(text="label:N")
    parts = [f"{s}: " + ", ".join(f"{r.population} {format_percentage(float(r.percent) / 100)}" for r in g.itertuples())
             for s, g in frame.groupby("statement", sort=False)]
    return alt.layer(bars, labels, title=title).properties(width=360, height=alt.Step(20), description=summary_text(parts))


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes (vl-convert, no browser, no network)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart_spec(chart), scale=scale)


def to_svg_and_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> tuple[str, bytes]:
    """``to_svg(chart)`` and ``to_png(chart, scale)`` from one Vega drawing: the PNG rasterised from the SVG (the same
    bytes as ``to_png``'s; drawing the chart again cost the export of a map ~0.8 CPU s)."""
    import vl_convert as vlc

    spec = chart_spec(chart)
    svg = _shared_svg(spec)
    if svg is None:
        svg = vlc.vegalite_to_svg(spec)
    return labelled_svg(svg, text_alternative(spec)), vlc.svg_to_png(svg, scale=scale)


WHO_COLOURS = {"Self": "#e07a1f", "Manager": "#6a3d9a", "Peers": "#1f5f8b", "Direct reports": "#2a9d8f", "Clients": "#b5179e", "All raters": "#1d2733"}
# the groups' names as a chart says them, in the language being rendered (the data carry the English names)
WHO_TEXT = {"Self": _l("Self"), "Manager": _l("Manager"), "Peers": _l("Peers"), "Direct reports": _l("Direct reports"),
            "Clients": _l("Clients"), "All raters": _l("All raters")}


def _who_text(who: str) -> str:
    return str(WHO_TEXT.get(who, who))


def feedback_dots(frame: pd.DataFrame, points: int, title: str = "") -> alt.Chart:
    """360 dot plot: one row per dimension, one dot per shown group (columns dimension, who, mean)."""
    title = title or _("Self and raters, per dimension")
    data = frame.dropna(subset=["mean"])
    order = [w for w in WHO_COLOURS if w in set(data["who"])] + sorted(set(data["who"]) - set(WHO_COLOURS))
    colours = [WHO_COLOURS.get(w, PALETTE["muted"]) for w in order]
    data = data.assign(who=data["who"].map(_who_text))
    order = [_who_text(w) for w in order]
    base = alt.Chart(data, title=title).encode(
        y=alt.Y("dimension:N", title=None, sort=None),
        x=alt.X("mean:Q", title=_("mean (1–{points})").format(points=points), scale=alt.Scale(domain=[1, points])),
    )
    rule = alt.Chart(data).mark_rule(color="#e3e8ee", strokeWidth=6).encode(
        y=alt.Y("dimension:N", sort=None), x=alt.X("min(mean):Q", scale=alt.Scale(domain=[1, points])), x2="max(mean):Q"
    )
    dots = base.mark_point(filled=True, size=140, opacity=0.9).encode(
        color=alt.Color("who:N", title=None, scale=alt.Scale(domain=order, range=colours)),
        shape=alt.Shape("who:N", title=None, scale=alt.Scale(domain=order)),
    )
    parts = [f"{d}: " + ", ".join(f"{r.who} {_dec(r.mean, 1)}" for r in g.assign(k=g["who"].map(order.index)).sort_values("k").itertuples())
             for d, g in data.groupby("dimension", sort=False)]
    return (rule + dots).properties(width=460, height=alt.Step(40), description=summary_text(parts))


def profile_position(frame: pd.DataFrame, title: str = "") -> alt.Chart:
    """Positions on −100 (technical and operational) … +100 (marketing and leadership); columns who, position."""
    title = title or _("Between the two manager profiles")
    data = frame.dropna(subset=["position"])
    colours = alt.Scale(domain=[_who_text(w) for w in WHO_COLOURS], range=list(WHO_COLOURS.values()))
    data = data.assign(who=data["who"].map(_who_text))
    ends = {-100: _("technical & operational"), 100: _("marketing & leadership"), 0: _("balanced")}
    label = " : ".join(f"datum.value == {v} ? {json.dumps(text)}" for v, text in ends.items()) + " : ''"
    axis = alt.Axis(values=[-100, -50, 0, 50, 100], labelExpr=label)
    line = alt.Chart(pd.DataFrame({"x": [-100], "x2": [100]})).mark_rule(color="#c9d2db", strokeWidth=4).encode(x=alt.X("x:Q", scale=alt.Scale(domain=[-100, 100]), axis=axis, title=None), x2="x2:Q")
    dots = alt.Chart(data).mark_point(filled=True, size=220).encode(
        x=alt.X("position:Q", scale=alt.Scale(domain=[-100, 100])),
        color=alt.Color("who:N", legend=None, scale=colours),
        tooltip=["who", alt.Tooltip("position:Q", format="+.0f")],
    )
    labels = alt.Chart(data).mark_text(dy=-16, fontSize=12).encode(x="position:Q", text="who:N")
    scale = _("scale from -100 ({low}) to +100 ({high})").format(low=ends[-100], high=ends[100])
    parts = [f"{r.who} {_dec(r.position, 0, signed=True)}" for r in data.itertuples()] + [scale]
    return (line + dots + labels).properties(width=520, height=70, title=title, description=summary_text(parts))


def attempts_lines(frame: pd.DataFrame, title: str = "") -> alt.Chart:
    """Dimension scores per attempt (columns attempt, dimension, score_100); unscored points left out."""
    title = title or _("Your attempts over time (0–100)")
    data = frame.dropna(subset=["score_100"])
    parts = [f"{d}: " + ", ".join(_("{score} (attempt {attempt})").format(score=_dec(r.score_100, 0), attempt=r.attempt) for r in g.sort_values("attempt").itertuples())
             for d, g in data.groupby("dimension", sort=False)]
    return (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("attempt:O", title=_("attempt")),
            y=alt.Y("score_100:Q", title=_("score (0–100)"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("dimension:N", title=None),
            strokeDash=alt.StrokeDash("dimension:N", title=None),  # one legend: the dimensions by colour, dash and point shape
            shape=alt.Shape("dimension:N", title=None),
        )
        .properties(width=420, height=220, description=summary_text(parts))
    )
