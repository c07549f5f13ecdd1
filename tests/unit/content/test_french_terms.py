"""French terms (issue #15): one term per concept across the French modules, glossary, quiz, facilitator guide,
text data and interface (docs/reference/languages.md, "French terms"); the variants a reader flagged as
calques or as a second name for the same thing appear nowhere."""
from __future__ import annotations

import re

from language_texts import language_strings

# a variant that must not appear → the term the French content uses for that concept
VARIANTS = {
    r"\bpoints? de douleur\b": "point de friction (the journey editor's word)",
    r"\bdélivr(?:er|e|ent|é|ée|és|ées|ant)\s+(?:le|un|du|son|notre|votre|leur)\s+service\b": "rendre / fournir le service",
    r"\bservice\s+(?:est|sera|soit|a été)\s+délivré\b": "le service est rendu",
    r"\bl'opportunité suivante\b|\bprochaine opportunité\b": "l'affaire suivante",
    r"\b(?:réalisé|planifié|acheté), rendu compte\b": "… ou facturé, ou dont on en rend compte",
}


def test_french_texts_use_one_term_per_concept():
    found = [f"{where}: «{m.group()}» (use {term})"
             for where, text in language_strings("fr")
             for pattern, term in VARIANTS.items()
             for m in re.finditer(pattern, text.replace("\n", " "), re.IGNORECASE)]
    assert not found, "\n".join(found)


def test_every_variant_pattern_matches_what_it_forbids():
    samples = ["les points de douleur", "délivrer le service", "le service est délivré",
               "l'opportunité suivante", "planifié, rendu compte ou facturé"]
    assert [any(re.search(p, s, re.IGNORECASE) for s in samples) for p in VARIANTS] == [True] * len(VARIANTS)
