"""Content: the models of exercises/*.yaml and the loader that validates them (the catalogue, exercise
specs, quiz, paths, facilitator guide, the Nordfrost case) and the copy check against the seeds.

Rule: reads content files only; imports nothing of the workbook but the ground modules (settings, errors, logs, files).
"""
