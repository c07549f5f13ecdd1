"""Auth: identity and the sign-in seam (access codes, hashing, roles, growing sign-in delays).

Rule: may import content and the ground modules only; the store calls it, never the other way.
"""
