"""Domain: pure functions on content and answers (scoring, psychometrics, profiles, 360, timeline,
classification, IPA, service analysis, journey maps, paths, action plans, quiz scoring).

Rule: no I/O (no database, no files, no widgets); may import content and the ground modules only.
"""
