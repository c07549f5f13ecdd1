"""Reporting: individual and cohort reports, the facilitator guide and module handouts, run through
papermill from workbook/report_notebooks/ and exported to HTML or PDF.

Rule: may import render and everything below it; never serving or ui.
"""
