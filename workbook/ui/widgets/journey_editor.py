"""The journey-map editor: maps, stages and touchpoints edited in ipywidgets, every change saved.

The editor works on pure :mod:`workbook.domain.journey` operations and hands each new version of a
map to a :class:`MapBackend` (the store, through the page's saver so a change made while the
database is down is kept and retried). Views (emotion curve, blueprint, summary, compare,
export) are drawn from the current map; every piece of person-typed text is escaped. A change redraws the
shown view a moment later (setting ``results_refresh_seconds``), once for several quick changes: each edit
is saved at once, the chart (a tenth of a second or more of the kernel's CPU) follows the last edit.
"""
from __future__ import annotations

import base64
import re
from collections.abc import Callable

import ipywidgets as w

from workbook.auth.identity import Identity
from workbook.content.datafile import dataset_path
from workbook.domain import journey as J
from workbook.domain.journey import JourneyMap
from workbook.errors import InvalidAnswer, WorkbookError
from workbook.i18n import _
from workbook.render.fragments import render_fragment
from workbook.settings import get_settings
from workbook.store import Database
from workbook.store import journeys as JS

from .common import HTML, StatusLine, safe
from .deferred import Coalesced

EXAMPLE_FILE = "journey_example.csv"


class MapBackend:
    """Where maps live: the store, scoped to one person; saves go through ``save_value`` when given (the page's saver)."""

    def __init__(self, db: Database, identity: Identity, person_id: int | None = None, exercise: str = JS.EXERCISE,
                 save_value: Callable[[str, str, object], object] | None = None):
        self.db, self.identity, self.exercise = db, identity, exercise
        self.person_id = person_id if person_id is not None else identity.person_id
        self._save_value = save_value

    def load(self) -> list[JourneyMap]:
        return JS.list_maps(self.db, self.identity, self.person_id, self.exercise)

    def save(self, m: JourneyMap, note: str) -> bool:
        """Save a new version; False when it is kept on the page to be saved later (store down)."""
        if self._save_value is not None:
            return self._save_value(self.exercise, m.id, JS.record_value(m, note)) is not False
        JS.save_map(self.db, self.identity, self.person_id, m, note, self.exercise)
        return True

    def delete(self, map_id: str) -> None:
        JS.delete_map(self.db, self.identity, self.person_id, map_id, self.exercise)

    def undo(self, map_id: str) -> JourneyMap | None:
        return JS.undo(self.db, self.identity, self.person_id, map_id, self.exercise)


def summary_html(m: JourneyMap) -> str:
    """The action list (pain points and moments of truth you or your team control) as escaped HTML."""
    return str(render_fragment("journey", part="summary", m=m, c=J.summary_counts(m), items=J.action_list(m), label=label, signed=J.signed))


def compare_html(before: JourneyMap, after: JourneyMap) -> str:
    """The differences between two maps as an escaped table."""
    return str(render_fragment("journey", part="compare", changes=J.compare(before, after)))


def _filename(title: str, ext: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", title).strip("_")[:60] or "journey"
    return f"{stem}.{ext}"


def download_link(data: bytes, filename: str, mime: str, text: str) -> tuple[str, str, str]:
    """A download link's text, file name and data: URI (nothing is written on the server); ``downloads_html`` draws them."""
    return text, filename, f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def downloads_html(links: list[tuple[str, str, str]]) -> str:
    """The download links (``download_link``'s) in one line."""
    return str(render_fragment("journey", part="downloads", links=links))


def _muted(text: str) -> str:
    return str(render_fragment("exercise", part="muted", text=text))


def label(code: str) -> str:
    """A code's words in the current language."""
    return J.label(code)


def _opts(codes: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(label(c), c) for c in codes]


class JourneyEditor(w.VBox):
    """Several maps per person; stages and touchpoints added, edited, reordered, deleted; undo; views."""

    def __init__(self, backend: MapBackend, default_stages: tuple[str, ...] = J.DEFAULT_STAGES, status: StatusLine | None = None):
        self.backend = backend
        self.default_stages = tuple(default_stages)  # lazy names: a new map gets them in the language current then
        self.status = status or StatusLine()
        self.maps: dict[str, JourneyMap] = {m.id: m for m in backend.load()}
        self.map_id: str | None = next(reversed(self.maps), None)
        self.stage_id: str | None = None
        self.tp_id: str | None = None
        self.last_changed: str | None = None
        self._quiet = False
        S = safe(self.status)
        L = w.Layout
        # the shown view, drawn after the last of several quick changes (tests settle it: tests/widget_tools.py)
        self.redraw = Coalesced(S(self._render_views), get_settings().results_refresh_seconds)

        # maps
        self.map_select = w.Dropdown(description=_("Map"), layout=L(width="360px"))
        self.new_map_btn = w.Button(description=_("New map"), icon="plus")
        self.example_btn = w.Button(description=_("Start from the worked example"))
        self.dup_btn = w.Button(description=_("Duplicate"))
        self.del_map_btn = w.Button(description=_("Delete map"), button_style="danger")
        self.undo_btn = w.Button(description=_("Undo last change"), icon="undo")
        self.title = w.Text(description=_("Title"), continuous_update=False, layout=L(width="360px"))
        self.client = w.Text(description=_("Client"), placeholder=_("client or offer"), continuous_update=False, layout=L(width="360px"))
        self.variant = w.ToggleButtons(options=_opts(J.VARIANTS), description=_("Map of"))
        # stages
        self.stage_select = w.Select(description=_("Stages"), rows=8, layout=L(width="340px"))
        self.stage_name = w.Text(description=_("Stage name"), continuous_update=False)
        self.add_stage_btn = w.Button(description=_("Add stage"), icon="plus")
        self.stage_up = w.Button(description=_("Up"), icon="arrow-up", layout=L(width="80px"))
        self.stage_down = w.Button(description=_("Down"), icon="arrow-down", layout=L(width="90px"))
        self.del_stage_btn = w.Button(description=_("Delete stage"), button_style="danger")
        # touchpoints
        self.tp_select = w.Select(description=_("Touchpoints"), rows=6, layout=L(width="340px"))
        # sent once, as the box is left (continuous updates are throttled by ipywidgets and a quick Tab and Enter on
        # "Add touchpoint" could reach the kernel before the last letters: "Night c" for "Night call")
        self.new_tp_name = w.Text(description=_("New"), placeholder=_("name of a touchpoint"), continuous_update=False, layout=L(width="300px"))
        self.add_tp_btn = w.Button(description=_("Add touchpoint"), icon="plus", button_style="primary")
        self.tp_up = w.Button(description=_("Up"), icon="arrow-up", layout=L(width="80px"))
        self.tp_down = w.Button(description=_("Down"), icon="arrow-down", layout=L(width="90px"))
        self.move_to = w.Dropdown(description=_("Move to"))
        self.move_btn = w.Button(description=_("Move"))
        self.del_tp_btn = w.Button(description=_("Delete touchpoint"), button_style="danger")
        # touchpoint form: field name -> widget
        def area(desc: str, ph: str) -> w.Textarea:
            return w.Textarea(description=desc, placeholder=ph, continuous_update=False, layout=L(width="98%", height="54px"))

        self.form: dict[str, w.Widget] = {
            "name": w.Text(description=_("Touchpoint"), continuous_update=False, layout=L(width="98%")),
            "client_actors": w.Text(description=_("Client roles"), placeholder=_("e.g. Maintenance manager; Buyer"), continuous_update=False, layout=L(width="98%")),
            "provider_actors": w.Text(description=_("Our roles"), placeholder=_("e.g. front: Site engineer; back: Planner"), continuous_update=False, layout=L(width="98%")),
            "channel": w.Dropdown(options=_opts(J.CHANNELS), description=_("Channel")),
            "location": w.Dropdown(options=_opts(J.LOCATIONS), description=_("Where")),
            "client_action": area(_("Client does"), _("what the client does here (co-production)")),
            "frontstage": area(_("Front stage"), _("what our front line does in front of the client")),
            "backstage": area(_("Back stage"), _("what happens out of the client's sight")),
            "support": area(_("Support"), _("systems and support processes")),
            "element": w.ToggleButtons(options=_opts(J.ELEMENTS), description=_("Element")),
            "emotion": w.IntSlider(min=-2, max=2, value=0, description=_("Emotion"), continuous_update=False),
            "pain_point": area(_("Pain point"), _("what goes wrong or annoys the client")),
            "opportunity": area(_("Opportunity"), _("what could be better")),
            "moment_of_truth": w.Checkbox(description=_("Moment of truth"), indent=True),
            "control": w.Dropdown(options=_opts(J.CONTROLS), description=_("Controlled by")),
        }
        for name, widget in self.form.items():
            widget.style.description_width = "110px"
            widget.add_class(f"wb-j-f-{name}")
            widget.observe(S(self._field_changed(name)), names="value")
        self.form_box = w.VBox(list(self.form.values()))
        self.form_box.add_class("wb-box")
        # views
        self.curve = HTML()
        self.blueprint = HTML()
        self.summary = HTML()
        self.cmp_a = w.Dropdown(description=_("Before"))
        self.cmp_b = w.Dropdown(description=_("After"))
        self.cmp_out = HTML()
        self.exports = HTML()
        self.export_btn = w.Button(description=_("Prepare downloads (CSV, SVG, PNG)"))
        self.upload = w.FileUpload(accept=".csv,text/csv", multiple=False, description=_("Import CSV"))
        self.views = w.Tab(children=[
            self.curve,
            HTML(),  # placeholder replaced below (scrolling box)
            self.summary,
            w.VBox([w.HBox([self.cmp_a, self.cmp_b]), self.cmp_out]),
            w.VBox([w.HBox([self.export_btn, self.upload]), self.exports]),
        ])
        scroll = w.Box([self.blueprint], layout=L(overflow="auto", width="100%"))
        self.views.children = (self.curve, scroll, *self.views.children[2:])
        for i, t in enumerate([_("Emotion curve"), _("Service blueprint"), _("Your action list"), _("Compare two maps"), _("Export / import")]):
            self.views.set_title(i, t)
        for widget, cls in [(self.map_select, "wb-j-maps"), (self.new_map_btn, "wb-j-new-map"), (self.example_btn, "wb-j-example"),
                            (self.dup_btn, "wb-j-dup"), (self.del_map_btn, "wb-j-del-map"), (self.undo_btn, "wb-j-undo"),
                            (self.stage_select, "wb-j-stages"), (self.tp_select, "wb-j-tps"), (self.new_tp_name, "wb-j-new-tp"),
                            (self.add_tp_btn, "wb-j-add-tp"), (self.curve, "wb-j-curve"), (self.blueprint, "wb-j-blueprint"),
                            (self.summary, "wb-j-summary"), (self.add_stage_btn, "wb-j-add-stage"), (self.del_tp_btn, "wb-j-del-tp")]:
            widget.add_class(cls)

        # wiring
        self.map_select.observe(S(self._map_chosen), names="value")
        self.new_map_btn.on_click(lambda _b: S(self.new_map)())
        self.example_btn.on_click(lambda _b: S(self.start_from_example)())
        self.dup_btn.on_click(lambda _b: S(self.duplicate)())
        self.del_map_btn.on_click(lambda _b: S(self.delete_map)())
        self.undo_btn.on_click(lambda _b: S(self.undo)())
        for widget, key in [(self.title, "title"), (self.client, "client"), (self.variant, "variant")]:
            widget.observe(S(self._map_field(key)), names="value")
        self.stage_select.observe(S(self._stage_chosen), names="value")
        self.stage_name.observe(S(self._stage_renamed), names="value")
        self.add_stage_btn.on_click(lambda _b: S(self.add_stage)())
        self.stage_up.on_click(lambda _b: S(self.move_stage)(-1))
        self.stage_down.on_click(lambda _b: S(self.move_stage)(+1))
        self.del_stage_btn.on_click(lambda _b: S(self.delete_stage)())
        self.tp_select.observe(S(self._tp_chosen), names="value")
        self.add_tp_btn.on_click(lambda _b: S(self.add_touchpoint)())
        self.tp_up.on_click(lambda _b: S(self.move_touchpoint)(-1))
        self.tp_down.on_click(lambda _b: S(self.move_touchpoint)(+1))
        self.move_btn.on_click(lambda _b: S(self.move_to_stage)())
        self.del_tp_btn.on_click(lambda _b: S(self.delete_touchpoint)())
        self.views.observe(S(lambda _c: self._show_view()), names="selected_index")
        for dd in (self.cmp_a, self.cmp_b):
            dd.observe(S(lambda _c: self._render_compare()), names="value")
        self.export_btn.on_click(lambda _b: S(self._prepare_exports)())
        self.upload.observe(S(self._uploaded), names="value")

        self.editor = w.VBox([
            w.HBox([self.title, self.client]), self.variant,
            HTML(render_fragment("journey", part="heading", text=_("Stages"))),
            w.HBox([self.stage_select, w.VBox([self.stage_name, w.HBox([self.add_stage_btn, self.stage_up, self.stage_down]), self.del_stage_btn])]),
            HTML(render_fragment("journey", part="heading", text=_("Touchpoints of the selected stage"))),
            w.HBox([self.tp_select, w.VBox([w.HBox([self.new_tp_name, self.add_tp_btn]), w.HBox([self.tp_up, self.tp_down, self.del_tp_btn]),
                                            w.HBox([self.move_to, self.move_btn])])]),
            self.form_box,
        ])
        self.empty_note = HTML(_muted(_("You have no map yet: start a new one (with the B2B stages) or from the worked example.")), layout=w.Layout())
        top = w.HBox([self.map_select, self.new_map_btn, self.example_btn, self.dup_btn, self.del_map_btn, self.undo_btn],
                     layout=L(flex_flow="row wrap"))
        super().__init__([top, self.empty_note, self.editor, self.status, self.views])
        self.add_class("wb-journey")
        self.refresh()

    # ------------------------------------------------------------ state
    @property
    def current(self) -> JourneyMap | None:
        return self.maps.get(self.map_id) if self.map_id else None

    def _apply(self, m: JourneyMap, note: str) -> None:
        """Keep the new version, save it (a new row), redraw."""
        saved = self.backend.save(m, note)
        self.maps[m.id] = m
        self.map_id = self.last_changed = m.id
        self.refresh()
        if saved:
            self.status.ok(_("Saved: {change}").format(change=note))

    def _need(self) -> JourneyMap:
        if self.current is None:
            raise InvalidAnswer(_("start a map first (New map)"))
        return self.current

    # ------------------------------------------------------------ map actions
    def new_map(self, title: str | None = None) -> None:
        m = J.new_map(title or _("Journey map {n}").format(n=len(self.maps) + 1), stages=self.default_stages)
        self._apply(m, _("new map {title}").format(title=repr(m.title)))

    def start_from_example(self) -> None:
        path = dataset_path(EXAMPLE_FILE)  # the worked example in the page's language
        m = J.duplicate_map(J.import_csv(path.read_text(encoding="utf-8")), title=_("Worked example: maintenance contract"))
        self._apply(m, _("copied the worked example"))

    def duplicate(self) -> None:
        m = self._need()
        copy = J.duplicate_map(m, variant="to_be" if m.variant == "as_is" else None)
        self._apply(copy, _("duplicated {title}").format(title=repr(m.title)))

    def delete_map(self) -> None:
        m = self._need()
        self.backend.delete(m.id)
        self.maps.pop(m.id)
        self.last_changed = m.id
        self.map_id = next(reversed(self.maps), None)
        self.stage_id = self.tp_id = None
        self.refresh()
        self.status.ok(_("Deleted {title} (Undo brings it back)").format(title=repr(m.title)))

    def undo(self) -> None:
        target = self.last_changed or self.map_id
        if target is None:
            raise InvalidAnswer(_("nothing to undo"))
        m = self.backend.undo(target)
        if m is None:
            self.maps.pop(target, None)
            self.map_id = next(reversed(self.maps), None)
        else:
            self.maps[m.id] = m
            self.map_id = m.id
        self.refresh()
        self.status.ok(_("Undone: the previous version is back (and saved)"))

    def _map_field(self, key: str):
        def handler(change) -> None:
            if self._quiet or self.current is None or getattr(self.current, key) == change["new"]:
                return
            self._apply(J.edit_map(self.current, **{key: change["new"]}), _("map {field}").format(field=key))
        return handler

    def _map_chosen(self, change) -> None:
        if self._quiet or change["new"] is None:
            return
        self.map_id, self.stage_id, self.tp_id = change["new"], None, None
        self.refresh()

    # ------------------------------------------------------------ stages
    def _stage_chosen(self, change) -> None:
        if self._quiet:
            return
        self.stage_id, self.tp_id = change["new"], None
        self.refresh(views=False)

    def _stage_renamed(self, change) -> None:
        m = self.current
        if self._quiet or m is None or self.stage_id is None or m.stage(self.stage_id).name == change["new"].strip():
            return
        self._apply(J.rename_stage(m, self.stage_id, change["new"]), _("renamed a stage"))

    def add_stage(self, name: str | None = None) -> None:
        m = self._need()
        at = [s.id for s in m.stages].index(self.stage_id) + 1 if self.stage_id else None
        new = J.add_stage(m, name or _("New stage"), at)
        self.stage_id = new.stages[at if at is not None else -1].id
        self.tp_id = None
        self._apply(new, _("added a stage"))

    def move_stage(self, delta: int) -> None:
        m = self._need()
        if self.stage_id is None:
            raise InvalidAnswer(_("choose a stage first"))
        idx = [s.id for s in m.stages].index(self.stage_id)
        self._apply(J.move_stage(m, self.stage_id, idx + delta), _("moved a stage"))

    def delete_stage(self) -> None:
        m = self._need()
        if self.stage_id is None:
            raise InvalidAnswer(_("choose a stage first"))
        name = m.stage(self.stage_id).name
        new = J.delete_stage(m, self.stage_id)
        self.stage_id = self.tp_id = None
        self._apply(new, _("deleted stage {name}").format(name=repr(name)))

    # ------------------------------------------------------------ touchpoints
    def _tp_chosen(self, change) -> None:
        if self._quiet:
            return
        self.tp_id = change["new"]
        self.refresh(views=False)

    def add_touchpoint(self, name: str | None = None, **fields: object) -> None:
        m = self._need()
        if self.stage_id is None:
            raise InvalidAnswer(_("choose the stage the touchpoint belongs to"))
        name = (name if name is not None else self.new_tp_name.value).strip()
        if not name:
            raise InvalidAnswer(_("type a name for the new touchpoint first"))
        new = J.add_touchpoint(m, self.stage_id, name=name, **fields)
        self.tp_id = new.stage(self.stage_id).touchpoints[-1].id
        self.new_tp_name.value = ""
        self._apply(new, _("added touchpoint {name}").format(name=repr(name)))

    def move_touchpoint(self, delta: int) -> None:
        m = self._need()
        if self.tp_id is None:
            raise InvalidAnswer(_("choose a touchpoint first"))
        _si, ti = m.find(self.tp_id)
        self._apply(J.move_touchpoint(m, self.tp_id, ti + delta), _("moved a touchpoint"))

    def move_to_stage(self) -> None:
        m = self._need()
        if self.tp_id is None or self.move_to.value is None:
            raise InvalidAnswer(_("choose a touchpoint and the stage to move it to"))
        target = self.move_to.value
        new = J.move_touchpoint(m, self.tp_id, len(m.stage(target).touchpoints), stage_id=target)
        self.stage_id = target
        self._apply(new, _("moved a touchpoint to another stage"))

    def delete_touchpoint(self) -> None:
        m = self._need()
        if self.tp_id is None:
            raise InvalidAnswer(_("choose a touchpoint first"))
        name = m.touchpoint(self.tp_id).name
        new = J.delete_touchpoint(m, self.tp_id)
        self.tp_id = None
        self._apply(new, _("deleted touchpoint {name}").format(name=repr(name)))

    def _field_changed(self, field: str):
        def handler(change) -> None:
            m = self.current
            if self._quiet or m is None or self.tp_id is None:
                return
            value = change["new"]
            if field == "client_actors":
                value = [r for r in str(value).split(";")]
            elif field == "provider_actors":
                value = _actors_in(str(value))
            self.edit_touchpoint(**{field: value})
        return handler

    def edit_touchpoint(self, **changes: object) -> None:
        """Change fields of the selected touchpoint and save."""
        m = self._need()
        if self.tp_id is None:
            raise InvalidAnswer(_("choose a touchpoint first"))
        new = J.edit_touchpoint(m, self.tp_id, **changes)
        if new == m:
            return
        self._apply(new, _("edited {fields}").format(fields=", ".join(k.replace("_", " ") for k in changes)))

    # ------------------------------------------------------------ drawing
    def refresh(self, views: bool = True) -> None:
        """Put the current state into every widget without triggering saves."""
        self._quiet = True
        try:
            m = self.current
            self.map_select.options = [(f"{x.title} · {label(x.variant)}", x.id) for x in self.maps.values()]
            self.map_select.value = m.id if m else None
            for dd in (self.cmp_a, self.cmp_b):
                dd.options = [(x.title, x.id) for x in self.maps.values()]
            self.empty_note.layout.display = "none" if m else None
            self.editor.layout.display = None if m else "none"
            self.views.layout.display = None if m else "none"
            for b in (self.dup_btn, self.del_map_btn):
                b.disabled = m is None
            self.undo_btn.disabled = (self.last_changed or self.map_id) is None
            if m is None:
                return
            self.title.value, self.client.value, self.variant.value = m.title, m.client, m.variant
            if self.stage_id not in {s.id for s in m.stages}:
                self.stage_id = m.stages[0].id if m.stages else None
            self.stage_select.options = [(f"{n}. {s.name} ({len(s.touchpoints)})", s.id) for n, s in enumerate(m.stages, 1)]
            self.stage_select.value = self.stage_id
            self.move_to.options = [(s.name, s.id) for s in m.stages]
            stage = m.stage(self.stage_id) if self.stage_id else None
            self.stage_name.value = stage.name if stage else ""
            tps = stage.touchpoints if stage else ()
            if self.tp_id not in {t.id for t in tps}:
                self.tp_id = tps[0].id if tps else None
            self.tp_select.options = [(f"{'★ ' if t.moment_of_truth else ''}{t.name} ({J.signed(t.emotion)})", t.id) for t in tps]
            self.tp_select.value = self.tp_id
            self.form_box.layout.display = None if self.tp_id else "none"
            if self.tp_id:
                t = m.touchpoint(self.tp_id)
                for name, widget in self.form.items():
                    v = getattr(t, name)
                    if name == "client_actors":
                        v = "; ".join(v)
                    elif name == "provider_actors":
                        v = J.actors_text(v)
                    widget.value = v
        finally:
            self._quiet = False
        if views:
            self.redraw.trigger()

    def _show_view(self) -> None:
        """The tab chosen now: drawn at once (a redraw still waiting is run now instead of later)."""
        if self.redraw.pending:
            self.redraw.settle()
        else:
            self._render_views()

    def _render_views(self) -> None:
        from workbook.render.charts import emotion_curve, service_blueprint, to_svg  # Altair when a map is drawn, not with the page

        m = self.current
        if m is None:
            return
        frame = J.touchpoints_frame(m)
        tab = self.views.selected_index or 0
        empty = _muted(_("Add touchpoints to see the chart."))
        if tab == 0:
            self.curve.value = to_svg(emotion_curve(frame, title=_("{title}: the client's emotion").format(title=m.title))) if len(frame) else empty
        elif tab == 1:
            self.blueprint.value = to_svg(service_blueprint(frame, title=_("{title}: service blueprint").format(title=m.title))) if len(frame) else empty
        elif tab == 2:
            self.summary.value = summary_html(m)
        elif tab == 3:
            self._render_compare()
        elif tab == 4:
            self.exports.value = _muted(_("Downloads are prepared from the map as it is now."))

    def _render_compare(self) -> None:
        from workbook.render.charts import emotion_compare, to_svg  # Altair when a map is drawn, not with the page

        a, b = self.maps.get(self.cmp_a.value or ""), self.maps.get(self.cmp_b.value or "")
        if a is None or b is None:
            self.cmp_out.value = _muted(_("Choose two maps (duplicate a map to get a before and an after)."))
            return
        frame = J.compare_frame([a, b])
        chart = to_svg(emotion_compare(frame)) if len(frame) else ""
        self.cmp_out.value = chart + compare_html(a, b)

    def _prepare_exports(self) -> None:
        from workbook.render.charts import emotion_curve, service_blueprint, to_svg_and_png  # Altair when a map is drawn, not with the page

        m = self._need()
        frame = J.touchpoints_frame(m)
        links = [download_link(J.export_csv(m).encode("utf-8"), _filename(m.title, "csv"), "text/csv", _("map as CSV"))]
        if len(frame):
            (curve_svg, curve_png), (bp_svg, bp_png) = (to_svg_and_png(emotion_curve(frame, title=m.title)),
                                                        to_svg_and_png(service_blueprint(frame, title=m.title), scale=1.5))
            links += [
                download_link(curve_svg.encode("utf-8"), _filename(m.title + "_emotion", "svg"), "image/svg+xml", _("emotion curve (SVG)")),
                download_link(curve_png, _filename(m.title + "_emotion", "png"), "image/png", _("emotion curve (PNG)")),
                download_link(bp_svg.encode("utf-8"), _filename(m.title + "_blueprint", "svg"), "image/svg+xml", _("blueprint (SVG)")),
                download_link(bp_png, _filename(m.title + "_blueprint", "png"), "image/png", _("blueprint (PNG)")),
            ]
        self.exports.value = downloads_html(links)

    def import_text(self, data: str | bytes) -> JourneyMap:
        """Import a CSV as a new map (refused whole, with rows and columns named, when any row is bad)."""
        m = J.import_csv(data)
        if m.id in self.maps:
            m = J.duplicate_map(m, title=m.title)
        self._apply(m, _("imported {title} from CSV").format(title=repr(m.title)))
        return m

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        try:
            self.import_text(bytes(item["content"]))
        except WorkbookError as exc:
            self.exports.value = str(render_fragment("journey", part="error", text=str(exc)))
            raise
        finally:
            self.upload.value = ()


def _actors_in(text: str) -> list[dict]:
    """'front: Site engineer; back: Planner' → actor dicts; a role without a side is front line."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        side, sep, role = part.partition(":")
        if sep and side.strip().lower() in ("front", "back"):
            out.append({"role": role.strip(), "side": "front_line" if side.strip().lower() == "front" else "back_office"})
        else:
            out.append({"role": part, "side": "front_line"})
    return out
