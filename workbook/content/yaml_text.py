"""YAML text to Python data, read by libyaml's C parser when PyYAML was built with it (about eight times
less CPU than PyYAML's own parser: a catalogue load, `workbook content check`, a page kernel's start), else by
PyYAML's own. Both build the same data from the same text; bad text is described by PyYAML's own parser,
whose messages name the place and the problem more plainly ("expected the node content, but found '<stream end>'")."""
from __future__ import annotations

import yaml

# the safe loaders only: plain data, no Python objects
LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> object:
    """The data of one YAML document (``yaml.safe_load``'s result); ``yaml.YAMLError`` from PyYAML's own parser
    on bad text."""
    try:
        return yaml.load(text, Loader=LOADER)
    except (yaml.YAMLError, UnicodeEncodeError):  # a lone surrogate cannot even go to the C parser as UTF-8
        return yaml.load(text, Loader=yaml.SafeLoader)
