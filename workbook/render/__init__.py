"""Render: charts (Altair, drawn to SVG server-side) and HTML fragments built from plain data.

Rule: may import analysis, store, domain, auth, content and the ground modules; never reporting, serving or ui.
"""
