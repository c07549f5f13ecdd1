"""ipywidgets builders: sign-in, Likert items, save status, page shell."""
