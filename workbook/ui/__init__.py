"""UI: what a page shows. ``pages/`` holds the one function each notebook calls, ``widgets/`` the
ipywidgets builders (sign-in, Likert, saver, journey editor, exercise types).

Rule: may import every layer below it; only workbook.cli and the notebooks import it.
"""
