"""The kernel manager Voila runs the workbook's kernels with: a safer idle cull, a calmer refill.

Voila hands a preheated kernel to a visitor before the page's websocket connects. A kernel that
sat in the pool for longer than the idle timeout looks idle and unconnected in that moment, and
Jupyter's culler would shut it down under the visitor's page ("Kernel does not exist"). Here a
kernel is culled only when two checks at least ``grace`` seconds apart both find it idle,
unconnected and without new activity; a page that just received its kernel connects in between.

Voila refills a preheated pool ``fill_delay`` seconds after each kernel it hands out. When a
whole cohort opens a page together, refills started a second behind each arrival (a kernel start
and a run of the page each) take the two cores from the arrivals' sign-ins and saves. Here a
refill starts when no page has been handed out for ``fill_delay`` seconds
(``WORKBOOK_POOL_REFILL_SECONDS``: the wave is over) and then on all cores but one, so the people
already in keep a core; or at once when a visitor is waiting for that very kernel (the pool ran
dry). The first fill at start-up (delay 0) runs as Voila does it.

The kernel budget (``workbook/serving/kernel_budget.py``): a page request is admitted by ``admit`` (called
by ``serving.guard`` before Voila runs the request) or answered with the busy page; a refill
starts only when there is room under ``max_kernels``; a kernel handed to a page that never
connects its websocket is shut down after ``unconnected_cull_seconds``. Only the message types
widgets need pass from a page's websocket to its kernel (``PAGE_MESSAGES``): no code runs.
"""
from __future__ import annotations

import asyncio
import contextvars
import os
import time
import weakref

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Dict, Float, Int, Unicode

from workbook.settings import get_settings

from .activity import watch_activity
from .forking import install as install_fork_provisioner
from .forking import start_chart_renderer
from .guard import install as install_serving_guard
from .kernel_budget import KernelBudget, Ticket
from .nodelay import install as install_nodelay
from .page_connection import install as install_page_connection
from .page_connection import known_kernel_info
from .page_state import install as install_page_state
from .template_code import install as install_template_code
from .web_session import install as install_web_session
from .web_session import warm as warm_session_store

__all__ = ["PAGE_MESSAGES", "WorkbookKernelManager", "refill_when_due"]

# What a page's websocket may send its kernel: what ipywidgets' frontend sends (comm_open /
# comm_msg / comm_close, comm_info_request) and the connection's kernel_info_request. Everything
# else (execute_request, complete_request, inspect_request, history_request, input_reply,
# shutdown_request, ...) is dropped by jupyter_server's websocket (``allowed_message_types``).
# The page frees its kernel through Voila's shutdown URL, not a shutdown_request.
PAGE_MESSAGES = ("comm_open", "comm_msg", "comm_close", "comm_info_request", "kernel_info_request")
# The page request being served (set by serving.guard): which ticket a kernel start belongs to.
CURRENT_TICKET: contextvars.ContextVar[Ticket | None] = contextvars.ContextVar("workbook_ticket", default=None)

_MANAGERS: weakref.WeakSet[WorkbookKernelManager] = weakref.WeakSet()
POLL_SECONDS = 0.2


class _RefillState:
    """Per event loop: when a page was last handed out, and the refill slots."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.last_handout = loop.time()
        self.slots = asyncio.Semaphore(max(1, (os.cpu_count() or 1) - 1))


_STATE: dict[int, _RefillState] = {}


def _taken(task: asyncio.Task | None) -> bool:
    """Whether a visitor took this pool task (it is no longer in any pool): it must start now."""
    pools = [getattr(m, "_pools", None) for m in list(_MANAGERS)]
    pools = [p for p in pools if p is not None]
    if task is None or not pools:
        return True
    return not any(task in pool for per_page in pools for pool in per_page.values())


async def refill_when_due(delay: float, aw):
    """Voila's ``wait_before`` for pool tasks: start ``aw`` (a kernel start and a run of the page)
    when no page was handed out for ``delay`` seconds and a refill slot is free, or at once when a
    visitor is waiting for it. Each refill task is created by a hand-out, so its start marks one."""
    loop = asyncio.get_running_loop()
    state = _STATE.setdefault(id(loop), _RefillState(loop))
    if delay <= 0:
        return await aw
    state.last_handout = loop.time()
    me, held = asyncio.current_task(), False
    try:
        while not _taken(me):
            if loop.time() - state.last_handout >= delay and not state.slots.locked() and _refill_room():
                await state.slots.acquire()
                held = True
                break
            await asyncio.sleep(POLL_SECONDS)
        result = await aw
        if held:  # keep the slot until the page has run in the new kernel, not only started
            await _finished(result)
        return result
    finally:
        if held:
            state.slots.release()


def process_alive(provisioner) -> bool:
    """Whether a kernel's process still runs, asked without waiting (``poll`` is a coroutine):
    the fork provisioner's own check, else the local provisioner's ``Popen``."""
    if provisioner is None:
        return False
    alive = getattr(provisioner, "alive_now", None)
    if alive is not None:
        return bool(alive())
    process = getattr(provisioner, "process", None)
    return process is not None and process.poll() is None


def _refill_room() -> bool:
    """Whether every kernel manager's budget has room for one more pooled kernel."""
    return all(m.refill_room() for m in list(_MANAGERS))


def _waiting_for_visitor(kernel_id: str | None) -> bool:
    """Whether a preheated kernel's page has run up to ``wait_for_request`` (Voila's request-info
    socket is open): all its work before the visitor is done."""
    try:
        from voila.request_info_handler import RequestInfoSocketHandler
    except ImportError:
        return False
    return kernel_id is not None and kernel_id in RequestInfoSocketHandler._waiters


async def _finished(pool_item: object) -> None:
    """Wait for a pool item's notebook run (Voila's render task) to end, whatever its outcome, or
    to reach the point where the page waits for its visitor (``pages/shell.py``)."""
    task = pool_item.get("task") if isinstance(pool_item, dict) else None
    kernel_id = pool_item.get("kernel_id") if isinstance(pool_item, dict) else None
    while task is not None and not task.done():
        if _waiting_for_visitor(kernel_id):
            return
        await asyncio.sleep(POLL_SECONDS)
    if task is not None and not task.cancelled():
        task.exception()  # retrieved: the page's visitor sees the outcome; here only the slot matters


def _install_refill_policy() -> None:
    try:
        import voila.voila_kernel_manager as vkm
    except ImportError:  # Voila absent: nothing to refill
        return
    vkm.wait_before = refill_when_due


_install_refill_policy()
install_serving_guard()  # Voila imports this module in its server process: no file listing, no theme/template
# from the URL, the visitor's address and cookie stamped on page requests, the kernel budget
install_web_session()  # the sign-in cookie's handlers and page header: see web_session.py
install_page_state()  # a page asks whether its kernel is still there: see page_state.py
install_fork_provisioner()  # kernels forked from one preloaded process (setting kernel_launch): see forking.py
install_template_code()  # Voila's page templates compiled once per server: see template_code.py
install_nodelay()  # a page's kernel websocket sends each message at once: see nodelay.py
install_page_connection()  # a forked page kernel's websocket confirmed by its IOPub welcome: see page_connection.py


class WorkbookKernelManager(AsyncMappingKernelManager):
    """AsyncMappingKernelManager with the kernel budget, widget-only page messages, and a culler
    that needs to see a kernel idle twice before culling it."""

    cull_grace = Float(10.0, config=True, help="Seconds a kernel must stay a cull candidate before it is culled.")
    max_kernels = Int(80, config=True, help="Kernels at most: preheated, handed to pages and starting.")
    max_kernels_per_client = Int(10, config=True, help="Page kernels at most per visitor (signed-in person, else client address).")
    reserved_kernels = Int(20, config=True, help="Kernels anonymous pages may never take: kept for signed-in visitors.")
    unconnected_cull_seconds = Float(60.0, config=True, help="A page kernel whose page never connects is shut down after this.")
    demand_pool_size = Int(0, config=True, help="Pool size a page without its own pool gets once a visitor opened it.")
    pool_sizes = Dict(key_trait=Unicode(), value_trait=Int(), config=True,
                      help="Preheated kernels per page (\"default\": every other page); one page=N option each.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.pool_sizes and self.has_trait("kernel_pools_config"):  # Voila's pools, from one option per page
            self.kernel_pools_config = {page: {"pool_size": size} for page, size in self.pool_sizes.items()}
        contents = getattr(self.parent, "contents_manager", None)
        if contents is not None and getattr(self.parent, "root_dir", None):
            from .trust import trust_pages  # the served notebooks are ours: no "not trusted" warning per request

            trust_pages(contents, self.parent.root_dir)
        # before the pools fill: kernels inherit its socket in their environment; started at once when pools will
        # warm up (each draws a chart), else on the first chart a kernel asks for (a hub user's server has no pools)
        settings = get_settings()
        start_chart_renderer(now=settings.pool_size > 0 or any(size > 0 for size in self.pool_sizes.values()))
        warm_session_store()  # the store the sign-in cookie is checked against, imported before any visitor
        # whatever Voila passes: only widget traffic from a page (jupyter_server drops the rest)
        self.allowed_message_types = list(PAGE_MESSAGES)
        self._idle_seen: dict[str, tuple[float, object]] = {}
        self._starting = 0
        self.budget = KernelBudget(self.max_kernels, self.max_kernels_per_client, self.reserved_kernels)
        handout = getattr(self, "get_rendered_notebook", None)  # Voila's preheated hand-out
        if handout is not None:
            async def get_rendered_notebook(*args, **kwargs):
                result = await handout(*args, **kwargs)
                ticket = CURRENT_TICKET.get()
                if ticket is not None:
                    self.budget.bind(ticket, result[2])
                return result

            self.get_rendered_notebook = get_rendered_notebook
        pool_size = getattr(self, "get_pool_size", None)  # Voila asks it before taking a pooled kernel
        if pool_size is not None:
            def get_pool_size(notebook_name: str) -> int:
                self.drop_lost_kernels(notebook_name)
                self.grow_on_demand(notebook_name)
                return pool_size(notebook_name)

            self.get_pool_size = get_pool_size
        self._restarted: set[str] = set()
        _MANAGERS.add(self)

    # -- pools sized to demand -------------------------------------------------------------
    def grow_on_demand(self, notebook: str) -> bool:
        """Give a page that has no pool of its own (the default size is below ``demand_pool_size``)
        a pool of ``demand_pool_size`` once a visitor asks for it, filled by the pool's refill
        policy (after the wave); returns whether it did."""
        config = getattr(self, "kernel_pools_config", None)
        if config is None or notebook in config or self.demand_pool_size <= 0:
            return False
        if config.get("default", {}).get("pool_size", 0) >= self.demand_pool_size:
            return False
        root = getattr(self, "root_dir", None)
        if not notebook.endswith(".ipynb") or root is None or not os.path.isfile(os.path.join(root, notebook)):
            return False
        config[notebook] = {"pool_size": self.demand_pool_size}
        self.log.info("Page %s was opened: it gets a pool of %d kernel(s)", notebook, self.demand_pool_size)
        self.fill_if_needed(notebook_name=notebook)
        return True

    # -- pooled kernels that died ----------------------------------------------------------
    def kernel_lost(self, kernel_id: str) -> bool:
        """Whether a kernel can no longer serve the page it ran: gone from the map, its process
        dead, or restarted empty by Jupyter's restarter (the page's widgets died with the old one)."""
        km = self._kernels.get(kernel_id)
        if km is None or kernel_id in self._restarted:
            return True
        return not process_alive(getattr(km, "provisioner", None))

    def drop_lost_kernels(self, notebook: str) -> int:
        """Take the pooled kernels of ``notebook`` that were lost out of its pool (shut down,
        refilled by the pool's policy): a visitor never gets one. Returns how many."""
        pool = (getattr(self, "_pools", None) or {}).get(notebook)
        lost = []
        for task in list(pool or ()):
            if not task.done() or task.cancelled() or task.exception() is not None:
                continue
            kernel_id = task.result().get("kernel_id")
            if self.kernel_lost(kernel_id):
                pool.remove(task)
                lost.append(kernel_id)
        for kernel_id in lost:
            self.log.warning("Pooled kernel %s of %s died: replaced, never handed out", kernel_id, notebook)
            asyncio.ensure_future(self._discard(kernel_id))
        if lost:
            self.fill_if_needed(notebook_name=notebook)
        return len(lost)

    async def _discard(self, kernel_id: str) -> None:
        """Shut a lost kernel down (its process may already be gone) and free its budget."""
        self._restarted.discard(kernel_id)
        try:
            if kernel_id in self._kernels:
                await self.shutdown_kernel(kernel_id, now=True)
        except Exception:  # noqa: BLE001 - a dead kernel's shutdown may fail half-way; it is gone either way
            self.log.debug("Shutting down lost kernel %s", kernel_id, exc_info=True)
        finally:
            self.budget.kernel_gone(kernel_id)

    # -- the budget ------------------------------------------------------------------------
    def kernels_committed(self) -> int:
        """Kernels running or starting (pooled ones included)."""
        return len(self._kernels) + self._starting

    def _pool_counts(self, notebook: str) -> tuple[int, int]:
        """(ready preheated kernels of ``notebook``, kernels all pools miss)."""
        pools = getattr(self, "_pools", None) or {}
        config = getattr(self, "kernel_pools_config", None) or {}
        default = config.get("default", {}).get("pool_size", 0)
        ready = sum(1 for task in pools.get(notebook, ()) if task.done() and not task.cancelled() and task.exception() is None)
        deficit = 0
        for name, pool in pools.items():
            size = config.get(name, {}).get("pool_size", default)
            deficit += max(0, size - sum(1 for task in pool if task.done()))
        return ready, deficit

    def admit(self, client: str, notebook: str, signed_in: bool = False) -> Ticket | None:
        """A ticket for a page request of ``notebook`` by the visitor ``client`` (signed in: the
        session's subject), or None (over the budget)."""
        self.budget.keep_only(set(self._kernels))
        self.drop_lost_kernels(notebook)
        ready, deficit = self._pool_counts(notebook)
        return self.budget.admit(client, notebook, self.kernels_committed(), ready, deficit, signed_in=signed_in)

    def refill_room(self) -> bool:
        return self.budget.refill_room(self.kernels_committed())

    async def start_kernel(self, *args, **kwargs):
        """Start a kernel, counted as starting until it runs; a page's own start binds its ticket."""
        ticket = CURRENT_TICKET.get()
        preheat = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True"
        mine = ticket is not None and not preheat
        if mine:
            self.budget.started(ticket)
        self._starting += 1
        try:
            kernel_id = await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1
        if mine:
            self.budget.bind(ticket, kernel_id)
        known_kernel_info(self.get_kernel(kernel_id))  # a forked kernel is not asked it again: page_connection.py
        # a kernel Jupyter's restarter brings back is empty: the page it ran is gone with the old one
        self.add_restart_callback(kernel_id, lambda: self._restarted.add(kernel_id), "restart")
        return kernel_id

    def start_watching_activity(self, kernel_id):
        """Jupyter's activity watch with a recorder that reads what it needs of each message (``activity.py``)."""
        watch_activity(self, kernel_id)

    def notify_connect(self, kernel_id):
        self.budget.connected(kernel_id)
        return super().notify_connect(kernel_id)

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        try:
            return await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self.budget.kernel_gone(kernel_id)

    def _is_candidate(self, kernel_id: str, kernel) -> bool:
        """What Jupyter's culler checks: idle long enough, not busy, no client connected."""
        timeout = kernel.kernel_spec.metadata.get("cull_idle_timeout", self.cull_idle_timeout)
        if not hasattr(kernel, "last_activity"):
            return False
        idle = (utcnow() - kernel.last_activity).total_seconds() > timeout
        busy = not self.cull_busy and kernel.execution_state == "busy"
        connected = not self.cull_connected and self._kernel_connections.get(kernel_id, 0) > 0
        return idle and not busy and not connected

    async def cull_kernel_if_idle(self, kernel_id: str):
        """Cull only after a second look, ``grace`` seconds on, finds the kernel still idle; a
        page kernel whose page never connected goes after ``unconnected_cull_seconds``."""
        kernel = self._kernels.get(kernel_id)
        if kernel is None:
            self._idle_seen.pop(kernel_id, None)
            return None
        if kernel_id in self.budget.unconnected(self.unconnected_cull_seconds):
            self.log.info("Culling kernel %s: its page never connected in %.0f s", kernel_id, self.unconnected_cull_seconds)
            self._idle_seen.pop(kernel_id, None)
            return await self.shutdown_kernel(kernel_id)
        if getattr(kernel, "execution_state", None) == "dead":
            self._idle_seen.pop(kernel_id, None)
            return await super().cull_kernel_if_idle(kernel_id)
        if not self._is_candidate(kernel_id, kernel):
            self._idle_seen.pop(kernel_id, None)
            return None
        now = time.monotonic()
        first, activity = self._idle_seen.setdefault(kernel_id, (now, kernel.last_activity))
        if activity != kernel.last_activity:
            self._idle_seen[kernel_id] = (now, kernel.last_activity)
            return None
        if now - first < self.cull_grace:
            return None
        self._idle_seen.pop(kernel_id, None)
        return await super().cull_kernel_if_idle(kernel_id)
