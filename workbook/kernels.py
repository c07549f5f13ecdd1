"""The kernel manager Voila runs the workbook's kernels with: Jupyter's, with a safer idle cull.

Voila hands a preheated kernel to a visitor before the page's websocket connects. A kernel that
sat in the pool for longer than the idle timeout looks idle and unconnected in that moment, and
Jupyter's culler would shut it down under the visitor's page ("Kernel does not exist"). Here a
kernel is culled only when two checks at least ``grace`` seconds apart both find it idle,
unconnected and without new activity; a page that just received its kernel connects in between.
"""
from __future__ import annotations

import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server._tz import utcnow
from traitlets import Float

__all__ = ["WorkbookKernelManager"]


class WorkbookKernelManager(AsyncMappingKernelManager):
    """AsyncMappingKernelManager whose culler needs to see a kernel idle twice before culling it."""

    cull_grace = Float(10.0, config=True, help="Seconds a kernel must stay a cull candidate before it is culled.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._idle_seen: dict[str, tuple[float, object]] = {}

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
        """Cull only after a second look, ``grace`` seconds on, finds the kernel still idle."""
        kernel = self._kernels.get(kernel_id)
        if kernel is None:
            self._idle_seen.pop(kernel_id, None)
            return None
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
