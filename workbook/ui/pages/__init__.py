"""Voila pages: each notebook calls one function here and displays what it returns.

Rule (ui layer): may import widgets and every layer below ui; nothing but workbook.cli and the notebooks imports a page.
"""
