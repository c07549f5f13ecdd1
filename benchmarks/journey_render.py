"""How long the journey views take to draw, as ratios against a baseline chart drawn in the same run.

Baseline: a one-layer bar chart (``charts.category_counts``) rendered to SVG.
Measured: the emotion curve and the service blueprint of the worked example (16 touchpoints),
the same map doubled (32 touchpoints), a PNG export, and a CSV export + import round trip.
Run: ``.venv/bin/python benchmarks/journey_render.py``.
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

import pandas as pd

from workbook.domain import journey as J
from workbook.render.charts import category_counts, emotion_curve, service_blueprint, to_png, to_svg

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 5


def timed(fn) -> float:
    fn()  # warm up (first vl-convert call loads its engine)
    runs = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    example = J.import_csv((ROOT / "datasets" / "journey_example.csv").read_text(encoding="utf-8"))
    doubled = example
    for s in example.stages:
        for t in s.touchpoints:
            doubled = J.add_touchpoint(doubled, s.id, **t.model_dump(exclude={"id"}))
    f16, f32 = J.touchpoints_frame(example), J.touchpoints_frame(doubled)
    base_frame = pd.DataFrame({"label": ["a", "b", "c"], "count": [4, 6, 8]})
    baseline = timed(lambda: to_svg(category_counts(base_frame)))
    rows = [
        ("emotion curve, 16 touchpoints (SVG)", timed(lambda: to_svg(emotion_curve(f16)))),
        ("emotion curve, 32 touchpoints (SVG)", timed(lambda: to_svg(emotion_curve(f32)))),
        ("blueprint, 16 touchpoints (SVG)", timed(lambda: to_svg(service_blueprint(f16)))),
        ("blueprint, 32 touchpoints (SVG)", timed(lambda: to_svg(service_blueprint(f32)))),
        ("emotion curve, 16 touchpoints (PNG)", timed(lambda: to_png(emotion_curve(f16)))),
        ("CSV export + import, 32 touchpoints", timed(lambda: J.import_csv(J.export_csv(doubled)))),
    ]
    print(f"baseline: dimension-score bars to SVG, median of {REPEAT}: {baseline * 1000:.0f} ms")
    for name, secs in rows:
        print(f"{name:<40} {secs * 1000:7.0f} ms   {secs / baseline:5.1f}× baseline")


if __name__ == "__main__":
    main()
