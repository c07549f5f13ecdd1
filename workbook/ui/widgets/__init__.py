"""ipywidgets builders: sign-in, Likert items, save status, page shell, the journey editor, exercise types.

Rule (ui layer): may import every layer below ui; never ui.pages (a contract in pyproject.toml).
"""
