# The report templates under reports/ are run by papermill (tests/test_reports.py), not by nbval.
collect_ignore_glob = ["reports/*"]
