"""Serving: Voila's server process (the command line, the kernel manager and its budget, the
client address, the sign-in cookie's session and the page guard).

Rule: may import reporting and everything below it; never ui (the server process runs no pages).
"""
