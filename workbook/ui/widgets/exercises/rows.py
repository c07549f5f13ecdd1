"""Row list: a small table filled row by row; each cell is saved as ``"<row>.<column>"`` when it changes."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.content.exercise_specs import Column, RowList, spec_of
from workbook.domain.service_analysis import count_by, mean_rating, rows_from_answers
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import markdown_html

from ..common import HTML
from . import ExerciseContext, register, summary

BLANK = "—"


def _cell_widget(col: Column, value: object) -> w.Widget:
    if col.kind == "text":
        box = w.Text(value=str(value or ""), placeholder=col.placeholder or col.label, layout=_cell_layout(), tooltip=col.label)
        box.continuous_update = False
        return box
    options = [(BLANK, None)] + [(o.label, o.value) for o in col.options]
    valid = {o.value for o in col.options}
    return w.Dropdown(options=options, value=value if value in valid else None, layout=_cell_layout(), tooltip=col.label)


def _cell_layout() -> w.Layout:
    """Equal columns whatever their content, so the header lines up with the cells."""
    return w.Layout(flex="1 1 0", width="auto", min_width="0")


class RowEditor(w.VBox):
    """The rows of one exercise; blank rows are added on request and removed rows are cleared in the store."""

    def __init__(self, ctx: ExerciseContext, spec: Exercise):
        self.ctx, self.spec = ctx, spec
        self.s: RowList = spec_of(spec)
        self.cols = [c.id for c in self.s.columns]
        saved = ctx.saved(spec.id)
        self.values: dict[int, dict[str, object]] = {r["row"]: {c: r[c] for c in self.cols} for r in rows_from_answers(saved, self.cols)}
        self.numbers = sorted(self.values)
        while len(self.numbers) < self.s.rows:
            self.numbers.append(self._next_number())
        self.grid = w.VBox()
        self.add = w.Button(description=self.s.add_label, icon="plus")
        self.add.add_class("wb-add-row")
        self.add.on_click(lambda _b: self.add_row())
        super().__init__([self._header(), self.grid, self.add])
        self._render()

    def _next_number(self) -> int:
        return max([0, *self.numbers, *self.values]) + 1

    def _header(self) -> w.Widget:
        # one HTML flex row with the same proportions and margins as the widget rows below
        return HTML(render_fragment("exercise", part="row_head", columns=self.s.columns), layout=w.Layout(width="100%"))

    def _render(self) -> None:
        rows = []
        for n in self.numbers:
            cells = []
            for col in self.s.columns:
                widget = _cell_widget(col, self.values.get(n, {}).get(col.id))
                widget.add_class(f"wb-cell-{col.id}")
                widget.observe(lambda ch, n=n, c=col.id: self._changed(n, c, ch["new"]), names="value")
                cells.append(widget)
            remove = w.Button(description=self.s.remove_label, layout=w.Layout(width="90px", flex="0 0 90px"))
            remove.add_class("wb-remove-row")
            remove.on_click(lambda _b, n=n: self.remove_row(n))
            row = w.HBox(cells + [remove])
            row.add_class("wb-row")
            rows.append(row)
        self.grid.children = rows
        self.add.disabled = len(self.numbers) >= self.s.max_rows

    def _changed(self, n: int, col: str, value: object) -> None:
        if isinstance(value, str) and not value.strip():
            value = None
        self.values.setdefault(n, {})[col] = value
        self.ctx.save(self.spec.id, f"{n}.{col}", value)

    def add_row(self) -> None:
        """Show one more blank row (nothing is saved until a cell is filled)."""
        if len(self.numbers) < self.s.max_rows:
            self.numbers.append(self._next_number())
            self._render()

    def remove_row(self, n: int) -> None:
        """Clear a row's cells in the store (append-only: a blank answer) and hide it."""
        for col, value in self.values.pop(n, {}).items():
            if value is not None:
                self.ctx.save(self.spec.id, f"{n}.{col}", None)
        self.numbers = [m for m in self.numbers if m != n]
        self._render()


@register("row_list", prebuild=True)
def row_list(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    head = HTML(render_fragment("exercise", part="markdown", css="wb-prompt", html=trusted(markdown_html(spec.prompt))) if spec.prompt else "")
    box = w.VBox([head, RowEditor(ctx, spec)])
    box.add_class("wb-ex")
    box.add_class(f"wb-ex-{spec.id}")
    return [box]


def _shown(col: Column, value: object) -> str:
    if value is None:
        return ""
    for o in col.options:
        if o.value == value:
            return o.label
    return str(value)


@summary("row_list")
def rows_summary(spec: Exercise, saved: dict[str, object], heading: bool = True) -> str:
    """The rows as a table (their mean and a chart of counts where the exercise asks); ``heading`` False leaves out its heading."""
    s: RowList = spec_of(spec)
    cols = [c.id for c in s.columns]
    rows = rows_from_answers(saved, cols)
    mean_line, chart = "", ""
    if rows and s.mean_of:
        col = next(c for c in s.columns if c.id == s.mean_of)
        mean, n = mean_rating(rows, s.mean_of)
        if mean is not None:
            mean_line = s.mean_label.format(label=col.label, mean=mean, n=n)
    if rows and s.count_by:
        import pandas as pd

        from workbook.render.charts import category_counts, to_svg  # Altair only when a chart is drawn

        col = next(c for c in s.columns if c.id == s.count_by)
        counts = count_by(rows, col.id, [o.value for o in col.options])
        frame = pd.DataFrame([{"label": _shown(col, v), "count": n} for v, n in counts])
        chart = trusted(to_svg(category_counts(frame, s.chart_title, s.chart_axis)))
    cells = [[_shown(c, r[c.id]) for c in s.columns] for r in rows]
    return str(render_fragment("exercise_results", part="rows", heading=s.summary_heading if heading else "", empty=s.empty, columns=s.columns, rows=cells, mean_line=mean_line, chart=chart))
