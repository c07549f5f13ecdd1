"""The kernel budget: whether one more page may have a kernel (pure bookkeeping, no Voila here).

A page request is admitted when its visitor holds fewer than ``max_per_client`` page kernels and
either a ready preheated kernel of that page is free (handing it out starts nothing now; its
refill waits for room) or one more kernel fits under ``max_kernels`` with room left for the pools
to refill. Every kernel counts: pooled, handed out, starting.

The visitor is the signed-in person (or rater) when the request carries a live sign-in cookie,
otherwise the client address; a sign-in moves one of the address's page kernels to the person
(``signed_in``). So a room behind one NAT address shares the cap only for its first, anonymous
pages. ``reserve`` kernels are kept for signed-in visitors: anonymous pages together hold at
most ``max_kernels - reserve``, so a flood of anonymous requests cannot lock a cohort out. ``WorkbookKernelManager`` feeds the
counts in and starts refills only when ``refill_room`` says so; a kernel handed out and never
connected is reported by ``unconnected`` for culling.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(eq=False)
class Ticket:
    """One admitted page request, then the kernel it got (``kernel_id``)."""

    client: str  # the visitor: its address or, signed in, "person:<id>" / "rater:<id>"
    notebook: str
    pooled: bool  # admitted to take a ready preheated kernel (starts nothing now)
    since: float
    kernel_id: str | None = None
    started: bool = False  # a fresh kernel is starting for it (already counted by the manager)
    bound_at: float = 0.0
    connected: bool = False
    signed_in: bool = False  # the visitor is a live session's subject (not only an address)


@dataclass
class KernelBudget:
    """Tickets of page kernels and the two caps (total, per client address)."""

    max_kernels: int
    max_per_client: int
    reserve: int = 0  # kernels anonymous pages may never take: kept for signed-in visitors
    stale_seconds: float = 600.0  # an admitted request that never got a kernel is forgotten after this
    clock: Callable[[], float] = time.monotonic
    tickets: list[Ticket] = field(default_factory=list)

    def held_by(self, client: str) -> int:
        """Page kernels held (or being given) to this client address."""
        return sum(1 for t in self.tickets if t.client == client)

    def _unstarted_fresh(self) -> int:
        return sum(1 for t in self.tickets if not t.pooled and t.kernel_id is None and not t.started)

    def _claims(self, notebook: str) -> int:
        return sum(1 for t in self.tickets if t.pooled and t.kernel_id is None and t.notebook == notebook)

    def anonymous(self) -> int:
        """Page kernels held (or being given) to visitors known only by their address."""
        return sum(1 for t in self.tickets if not t.signed_in)

    def admit(self, client: str, notebook: str, kernels: int, ready_pooled: int, pool_deficit: int,
              signed_in: bool = False) -> Ticket | None:
        """A ticket for this page request, or None when it is over the budget.

        ``client``: the visitor (see the module's docstring); ``signed_in``: the request carries a
        live session; ``kernels``: kernels running or starting; ``ready_pooled``: ready preheated
        kernels of this page; ``pool_deficit``: preheated kernels the pools miss (their refills
        wait for room)."""
        self.forget_stale()
        if self.held_by(client) >= self.max_per_client:
            return None
        if not signed_in and self.anonymous() + 1 > self.max_kernels - self.reserve:
            return None
        pooled = ready_pooled - self._claims(notebook) > 0
        if not pooled and kernels + self._unstarted_fresh() + pool_deficit + 1 > self.max_kernels:
            return None
        ticket = Ticket(client, notebook, pooled, self.clock(), signed_in=signed_in)
        self.tickets.append(ticket)
        return ticket

    def sign_in(self, address: str, subject: str) -> bool:
        """A visitor at ``address`` signed in as ``subject``: the latest anonymous page kernel of
        that address is now the subject's (it leaves the address's and the anonymous counts)."""
        mine = [t for t in self.tickets if t.client == address and not t.signed_in and t.kernel_id]
        if not mine:
            return False
        ticket = max(mine, key=lambda t: t.bound_at)
        ticket.client, ticket.signed_in = subject, True
        return True

    def refill_room(self, kernels: int) -> bool:
        """Whether a pool may start one more kernel now (admitted fresh pages go first)."""
        return kernels + self._unstarted_fresh() + 1 <= self.max_kernels

    def started(self, ticket: Ticket) -> None:
        """A fresh kernel is starting for this ticket (the manager counts it from now on)."""
        ticket.started = True

    def bind(self, ticket: Ticket, kernel_id: str) -> None:
        """The ticket's page got this kernel."""
        ticket.kernel_id, ticket.bound_at = kernel_id, self.clock()
        if ticket not in self.tickets:  # released meanwhile (the request ended first): the kernel is still held
            self.tickets.append(ticket)

    def release(self, ticket: Ticket) -> None:
        """The request ended without a kernel (refused later, failed, or went away)."""
        if ticket.kernel_id is None and ticket in self.tickets:
            self.tickets.remove(ticket)

    def connected(self, kernel_id: str) -> None:
        """The page's websocket reached its kernel."""
        for t in self.tickets:
            if t.kernel_id == kernel_id:
                t.connected = True

    def kernel_gone(self, kernel_id: str) -> None:
        """The kernel was shut down or culled: its ticket is freed."""
        self.tickets = [t for t in self.tickets if t.kernel_id != kernel_id]

    def keep_only(self, live_kernel_ids: set[str]) -> None:
        """Forget tickets whose kernel no longer exists (removed without a shutdown call)."""
        self.tickets = [t for t in self.tickets if t.kernel_id is None or t.kernel_id in live_kernel_ids]

    def forget_stale(self) -> None:
        now = self.clock()
        self.tickets = [t for t in self.tickets if t.kernel_id is not None or now - t.since < self.stale_seconds]

    def unconnected(self, seconds: float) -> list[str]:
        """Kernels handed to a page at least ``seconds`` ago whose page never connected."""
        now = self.clock()
        return [t.kernel_id for t in self.tickets if t.kernel_id and not t.connected and now - t.bound_at >= seconds]
