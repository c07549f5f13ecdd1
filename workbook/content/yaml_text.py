"""YAML text to Python data, read by libyaml's C parser when PyYAML was built with it (about eight times
less CPU than PyYAML's own parser: a catalogue load, `workbook content check`, a page kernel's start), else by
PyYAML's own. Both build the same data from the same text; bad text is described by PyYAML's own parser,
whose messages name the place and the problem more plainly ("expected the node content, but found '<stream end>'").

A text read before is not parsed again: its data is kept pickled (the last ``KEPT_TEXTS`` texts read) and each
read gets its own copy, ~20 times less CPU than parsing (every catalogue load reads a language's files again,
every dataset check its English file)."""
from __future__ import annotations

import pickle
from functools import lru_cache

import yaml

# the safe loaders only: plain data, no Python objects
LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# How many texts' data are kept (the shipped content is ~75 YAML files, ~0.8 MB pickled in all).
KEPT_TEXTS = 256


def load_yaml(text: str) -> object:
    """The data of one YAML document (``yaml.safe_load``'s result, a new copy at each call: the caller may change it);
    ``yaml.YAMLError`` from PyYAML's own parser on bad text."""
    return pickle.loads(_pickled(text))


@lru_cache(maxsize=KEPT_TEXTS)
def _pickled(text: str) -> bytes:
    try:
        data = yaml.load(text, Loader=LOADER)
    except (yaml.YAMLError, UnicodeEncodeError):  # a lone surrogate cannot even go to the C parser as UTF-8
        data = yaml.load(text, Loader=yaml.SafeLoader)
    return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
