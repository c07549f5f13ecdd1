"""Voila pages: each notebook calls one function here and displays what it returns."""
