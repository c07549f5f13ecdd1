"""Widgets built together reach the page together: each model sent once, with its final state.

An ipywidgets widget opens its model (one ``comm_open`` message from the kernel through Voila's
server to the page) the moment it is constructed, and every trait set after that (a CSS class, a
value, a layout) is one more ``update`` message. A module page built at sign-in created ~40
models and then sent 28 updates to them. Inside ``opened_together()`` a widget's model is opened
only when something needs it (a container that shows it on the page, which asks for its id) or
when the block ends, so the page gets each new model once, in its final state, children first.

Also here: the kernel does not echo a browser's change back to the browser (ipywidgets 8's
``echo_update``, meant for several browsers sharing one kernel; a workbook page's kernel serves one
page). The page's widget manager applies the kernel's own updates whether echoes come or not.

And the page's state request (``request_states`` on the widget control comm, once per connection) is answered
with each model's state computed once: ipywidgets 8.1's handler first builds every model's embed state and
throws it away (``get_manager_state()``), then builds them all again for its reply (#17: ~100 models a module page).
A preheated kernel computes those states before its visitor comes (``prepare_states``, in the notebook's last
cell); a model's kept state is dropped the moment any of its traits changes, so the reply is always current and
a visit recomputes only what changed since (on Module 1, ~120 models: the largest part of the kernel's work
between the page's connection and its sign-in).
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import ipywidgets as w
from ipywidgets.widgets import widget as _widget_module

_widget_module.JUPYTER_WIDGETS_ECHO = False  # read by Widget.set_state at each browser change

_PENDING = "_workbook_open_pending"
# the original ``Widget.open`` and each thread's deferring block (the kernel's shell thread at sign-in), kept on the
# class so that importing this module again patches nothing twice
if not hasattr(w.Widget, "_workbook_opening"):
    w.Widget._workbook_opening = (w.Widget.open, threading.local())
_real_open, _local = w.Widget._workbook_opening


def _open(self: w.Widget) -> None:
    pending = getattr(_local, "pending", None)
    if pending is not None and self.comm is None:
        setattr(self, _PENDING, True)
        pending.append(self)
        return
    _open_now(self)


def _open_now(self: w.Widget) -> None:
    self.__dict__.pop(_PENDING, None)
    _real_open(self)


def _model_id(self: w.Widget) -> str:
    """The model's id; a model still waiting in ``opened_together`` is opened first (a container
    showing it needs the id, so the child reaches the page before its parent)."""
    if self.comm is None and self.__dict__.get(_PENDING):
        _open_now(self)
    return self.comm.comm_id


w.Widget.open = _open
w.Widget.model_id = property(_model_id, doc="The model's id (its comm's); opened first when it waits in ``opened_together``.")


@contextmanager
def opened_together() -> Iterator[None]:
    """Within the block, widgets created in this thread open their models only when shown or at its
    end (nested blocks join the outer one)."""
    if getattr(_local, "pending", None) is not None:
        yield
        return
    _local.pending = pending = []
    try:
        yield
    finally:
        _local.pending = None
        for widget in pending:
            if widget.__dict__.get(_PENDING) and widget.comm is None:
                _open_now(widget)


_KEPT = "_workbook_kept_state"  # a widget's part of the state reply, kept in its __dict__ until a trait changes
_CHANGES = "_workbook_changes"  # how often its traits changed: a state computed while one changed is not kept


def _kept_state(widget: w.Widget) -> tuple[dict, list, list]:
    """The widget's entry of the ``update_states`` reply (its buffers taken out, their paths under its model id),
    computed once and kept until one of its traits changes."""
    changes = widget.__dict__.get(_CHANGES, 0)
    kept = widget.__dict__.get(_KEPT)
    if kept is not None and kept[0] == changes:
        return kept[1]
    model_id = widget.model_id
    entry = {"model_name": widget._model_name, "model_module": widget._model_module,
             "model_module_version": widget._model_module_version, "state": widget.get_state(drop_defaults=False)}
    states, buffer_paths, buffers = _widget_module._remove_buffers({model_id: entry})
    part = (states[model_id], buffer_paths, buffers)
    if widget.__dict__.get(_CHANGES, 0) == changes:  # no other thread changed it meanwhile
        widget.__dict__[_KEPT] = (changes, part)
    return part


def prepare_states() -> int:
    """Compute every open model's part of the page's state reply now (a preheated kernel, before its visitor);
    returns how many models there are."""
    widgets = list(_widget_module._instances.values())
    for widget in widgets:
        _kept_state(widget)
    return len(widgets)


def _answer_state_request(cls, msg) -> None:
    """ipywidgets' control-comm handler without its discarded second pass: the same ``update_states`` reply,
    from each model's kept state."""
    if cls._control_comm is None or msg["content"]["data"].get("method") != "request_states":
        return _real_control(msg)  # its own errors, worded as ipywidgets words them
    states: dict[str, dict] = {}
    buffer_paths: list = []
    buffers: list = []
    for widget in list(_widget_module._instances.values()):
        state, paths, bufs = _kept_state(widget)
        states[widget.model_id] = state
        buffer_paths += paths
        buffers += bufs
    cls._control_comm.send({"method": "update_states", "states": states, "buffer_paths": buffer_paths}, buffers=buffers)


def _forget_kept_state(method):
    def wrapper(self, *args, **kwargs):
        self.__dict__[_CHANGES] = self.__dict__.get(_CHANGES, 0) + 1  # before the change is sent or observed
        self.__dict__.pop(_KEPT, None)
        return method(self, *args, **kwargs)

    wrapper.__wrapped__ = method
    wrapper.__doc__ = method.__doc__
    return wrapper


if not hasattr(w.Widget, "_workbook_kept"):  # importing this module again wraps nothing twice
    w.Widget._workbook_kept = (w.Widget.notify_change, w.Widget.add_traits)
    w.Widget.notify_change = _forget_kept_state(w.Widget.notify_change)  # every trait change, synced or not
    w.Widget.add_traits = _forget_kept_state(w.Widget.add_traits)  # new synced traits: new keys in the state


if not hasattr(w.Widget, "_workbook_control"):
    w.Widget._workbook_control = w.Widget._handle_control_comm_msg
_real_control = w.Widget._workbook_control
w.Widget._handle_control_comm_msg = classmethod(_answer_state_request)
