"""One settings object for the whole workbook.

Read once from environment variables (``WORKBOOK_*``) over an optional TOML config
file (``WORKBOOK_CONFIG`` or ``<data_dir>/workbook.toml``), over defaults. Nothing
else in the package reads the environment for configuration.
"""
from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import SettingsError

REPO_ROOT = Path(__file__).resolve().parent.parent
# An installed wheel carries the repository's notebooks/, exercises/ and datasets/ here (pyproject.toml:
# force-include); a checkout has no such folder and uses its own top-level folders.
PACKAGED_CONTENT = Path(__file__).resolve().parent / "_content"
APP_NAME = "servuction-workbook"
AUTH_MODES = ("codes", "jupyterhub")  # setting auth_mode: access codes, or the JupyterHub user of the server


def content_root() -> Path:
    """Where notebooks/, exercises/ and datasets/ are: the installed package's copies, else the checkout."""
    return PACKAGED_CONTENT if PACKAGED_CONTENT.is_dir() else REPO_ROOT


def default_data_dir() -> Path:
    """Where answers, logs and backups go by default: the checkout's data/ when run from a checkout,
    else the platform's per-user data directory (e.g. ~/.local/share/servuction-workbook); never
    inside site-packages."""
    if not PACKAGED_CONTENT.is_dir():
        return REPO_ROOT / "data"
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class Settings:
    """Every tunable of the workbook, with its default."""

    data_dir: Path = field(default_factory=default_data_dir)
    db_url: str = ""  # empty: SQLite file <data_dir>/workbook.db
    content_dir: Path = field(default_factory=lambda: content_root() / "exercises")
    datasets_dir: Path = field(default_factory=lambda: content_root() / "datasets")
    notebooks_dir: Path = field(default_factory=lambda: content_root() / "notebooks")
    anonymity_threshold: int = 3
    manager_shown_alone: bool = False
    blind_spot_gap: float = 1.0  # points on the item scale (self minus others)
    comment_threshold: int = 5  # 360 comments need this many raters of shown groups (never fewer than anonymity_threshold)
    rater_approval: bool = True  # the coach approves a trainee's nominated raters before codes go out
    feedback_round_days: int = 21  # a 360 round closes this many days after it opens (the coach may change it)
    rater_reminder_days: int = 7  # `workbook raters remind --due`: remind raters not reminded for this long
    smtp_host: str = ""  # empty: no e-mail; rater codes are shown to the coach only
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "workbook@localhost"
    smtp_tls: str = "starttls"  # starttls | ssl | none
    smtp_timeout_seconds: float = 20.0
    public_url: str = ""  # the address raters open (e-mails link to it); empty: http://host:port
    port: int = 8866
    pool_size: int = 0  # preheated kernels per page for Voila (every page not listed in pools), from the start
    # A page with no pool of its own (pool_size 0, not in pools) gets a pool of this size once a visitor
    # has opened it: pools sized to demand, not one idle kernel per page from the start (#17).
    demand_pool_size: int = 1
    pools: str = "00_home.ipynb=2,01_servuction.ipynb=3"  # per-page overrides: "page=N,page=N"
    pool_refill_seconds: float = 10.0  # refill pools once no page was handed out for this long
    # How long Voila waits for a cell's output after the kernel said the cell ran (nbclient's iopub_timeout, 4 s by
    # default): outputs travel apart from that reply, and when ~20 pools fill at once on two cores they can come
    # later; Voila then renders the page without them (the page's widgets never show: "Preparing your page…").
    page_output_timeout_seconds: int = 120
    host: str = "127.0.0.1"
    # How page kernels start (workbook/serving/forking.py): "fork" from one process that imported the
    # pages once (their memory shared copy-on-write), or "exec", one fresh Python per kernel (the design
    # before #17, kept for comparison and as a fallback).
    kernel_launch: str = "fork"
    # What the fork server imports and warms before forking: the page kernels' own imports.
    kernel_preload: str = ("ipykernel.kernelapp,ipywidgets,voila.utils,sqlalchemy.dialects.sqlite,workbook.ui.pages.module,"
                           "workbook.ui.pages.home,workbook.ui.pages.examples,workbook.ui.pages.quiz,workbook.ui.pages.rater,"
                           "workbook.ui.pages.coach")
    # Charts: "shared", one renderer process per server draws every kernel's SVG (vl-convert lives
    # there only), or "kernel", each kernel draws its own (~75 MB more per kernel).
    chart_renderer: str = "shared"
    chart_renderer_socket: str = ""  # set by the server for its kernels: where the shared renderer listens
    cull_idle_seconds: int = 600
    cull_interval_seconds: int = 15  # how often the culler looks (unconnected page kernels go after ~60 s)
    # The kernel budget (workbook/serving/kernel_budget.py). A kernel costs up to ~255 MB (Module 1, chart
    # renderer warmed), so 80 kernels stay under ~20.5 GB with the server: a 24 GB machine holds the
    # default pools (18) plus 30 trainees with two pages open each. Over the budget a page request
    # gets "the workbook is busy, try again in a minute" (HTTP 503), not a kernel.
    max_kernels: int = 80  # every kernel: preheated, handed to pages, starting
    max_kernels_per_client: int = 10  # page kernels per visitor: the signed-in person, else the client address
    reserved_kernels: int = 20  # kernels kept for signed-in visitors: anonymous pages never take them
    unconnected_cull_seconds: int = 60  # a page kernel whose page never connects is shut down after this
    sqlite_busy_ms: int = 30000
    results_refresh_seconds: float = 0.4  # "your results" (and the journey editor's chart) redrawn this long after the last answer
    max_text_chars: int = 20_000  # one free text (a reflection, a comment, a cell)
    max_answer_chars: int = 300_000  # one whole answer once stored (e.g. a journey map)
    write_budget_chars_per_day: int = 5_000_000  # per person (or rater), rolling 24 hours
    write_budget_rows_per_hour: int = 3_000  # per person (or rater), rolling hour
    signin_max_failures: int = 5  # wrong codes per code / per page before slowing down
    signin_max_failures_per_address: int = 20  # per client address (a room behind one NAT shares it)
    signin_delay_seconds: float = 2.0  # the first wait once slowed down; doubles with each wrong code
    signin_delay_max_seconds: float = 60.0  # the longest wait per code / per page
    signin_delay_max_seconds_per_address: float = 10.0  # per address: a room is slowed, never locked out
    signin_failure_memory_seconds: int = 900  # wrong codes older than this are forgotten
    trusted_proxies: str = ""  # "addr,addr/nn": reverse proxies whose X-Forwarded-For is believed
    session_hours: int = 12  # a sign-in ends this long after it began, however active
    session_idle_minutes: int = 120  # ... or after this long without any action (sliding expiry)
    signin_ticket_seconds: int = 60  # a page's one-time ticket for its session cookie lives this long
    # Who a page's visitor is: "codes", the personal access codes typed in the sign-in box, or "jupyterhub",
    # the hub user the single-user server runs for (JUPYTERHUB_USER, set by the hub), mapped to a person by
    # `workbook invite --login HUBNAME`; access codes are then refused and the sign-in box is not shown.
    auth_mode: str = "codes"
    demo_seed: int = 2026

    def pool_sizes(self) -> dict[str, int]:
        """Per-page pool sizes from ``pools`` ("page=N,page=N")."""
        parts = filter(None, (p.strip() for p in self.pools.split(",")))
        return dict(_pool_entry(part, "setting pools") for part in parts)

    def with_pools(self, overrides: list[str]) -> Settings:
        """These settings with some pages' pool sizes replaced ("page=N" each, e.g. a workshop's
        ``01_servuction.ipynb=30``); a page that is not served is refused in one line."""
        sizes = self.pool_sizes()
        for part in overrides:
            name, size = _pool_entry(part, "pool")
            if not (self.notebooks_dir / name).is_file():
                raise SettingsError(f"pool {part!r}: no page {name!r} in {self.notebooks_dir}")
            sizes[name] = size
        return replace(self, pools=",".join(f"{k}={v}" for k, v in sizes.items()))

    def pooled_kernels(self) -> int:
        """Preheated kernels the pools hold when full: every served notebook gets ``pool_size``,
        or its own size from ``pools``."""
        sizes = self.pool_sizes()
        names = [str(p.relative_to(self.notebooks_dir)) for p in self.notebooks_dir.rglob("*.ipynb") if ".ipynb_checkpoints" not in str(p)]
        return sum(sizes.get(name, self.pool_size) for name in names)

    def check_kernel_budget(self) -> None:
        """Refuse, in one line, a budget the full pools would already use up."""
        pooled = self.pooled_kernels()
        if self.max_kernels <= pooled or self.max_kernels_per_client < 1:
            raise SettingsError(f"setting max_kernels: {self.max_kernels} leaves no kernel for a page beside the {pooled} preheated ones "
                                f"(and max_kernels_per_client {self.max_kernels_per_client} must be at least 1); "
                                "raise WORKBOOK_MAX_KERNELS or shrink WORKBOOK_POOLS / WORKBOOK_POOL_SIZE")
        if not 0 <= self.reserved_kernels < self.max_kernels - pooled:
            raise SettingsError(f"setting reserved_kernels: {self.reserved_kernels} must be at least 0 and leave anonymous pages a kernel "
                                f"beside the {pooled} preheated ones under max_kernels {self.max_kernels}; "
                                "lower WORKBOOK_RESERVED_KERNELS or raise WORKBOOK_MAX_KERNELS")

    @property
    def log_path(self) -> Path:
        """The workbook's log file (workbook/logs.py): pages' failures with their reference, refused pages."""
        return self.data_dir / "logs" / "workbook.log"

    def trusted_proxy_networks(self) -> tuple:
        """``trusted_proxies`` as ip networks (a bare address is a /32 or /128); a bad entry is
        refused in one line."""
        out = []
        for part in filter(None, (p.strip() for p in self.trusted_proxies.split(","))):
            try:
                out.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise SettingsError(f"setting trusted_proxies: {part!r} is not an address or network (e.g. 10.0.0.5 or 10.0.0.0/8)") from None
        return tuple(out)

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL in force (SQLite under the data directory by default)."""
        return self.db_url or f"sqlite:///{self.data_dir / 'workbook.db'}"


def _pool_entry(part: str, where: str) -> tuple[str, int]:
    """One "page=N" of a pools list, as (page, N)."""
    name, _, num = part.partition("=")
    if not num.strip().isdigit() or not name.strip():
        raise SettingsError(f"{where}: {part!r} is not page=N (e.g. 01_servuction.ipynb=30)")
    return name.strip(), int(num)


_ENV_PREFIX = "WORKBOOK_"
_cached: Settings | None = None


def _coerce(name: str, raw: object, target: object) -> object:
    kind = type(target)
    try:
        if kind is bool:
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if kind is int:
            return int(raw)  # type: ignore[arg-type]
        if kind is float:
            return float(raw)  # type: ignore[arg-type]
        if isinstance(target, Path):
            return Path(str(raw)).expanduser()
        if kind is dict:
            return dict(raw)  # type: ignore[arg-type]
        if kind is str and isinstance(raw, list):  # a TOML list for a comma-separated setting
            return ",".join(str(x) for x in raw)
        return str(raw)
    except (TypeError, ValueError):
        raise SettingsError(
            f"setting {name}: {raw!r} is not a valid {kind.__name__}; fix {_ENV_PREFIX}{name.upper()} or the config file"
        ) from None


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from defaults, then the config file, then ``WORKBOOK_*`` variables."""
    env = dict(os.environ if env is None else env)
    base = Settings()
    values: dict[str, object] = {}
    names = {f.name for f in fields(Settings)}
    data_dir = Path(env.get("WORKBOOK_DATA_DIR", base.data_dir)).expanduser()
    config = Path(env.get("WORKBOOK_CONFIG", data_dir / "workbook.toml"))
    if config.is_file():
        try:
            doc = tomllib.loads(config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{config}: not valid TOML ({exc})") from None
        for key, raw in doc.get("workbook", doc).items():
            if key not in names:
                raise SettingsError(f"{config}: unknown setting {key!r}")
            values[key] = _coerce(key, raw, getattr(base, key))
    for name in names:
        raw = env.get(_ENV_PREFIX + name.upper())
        if raw is not None and raw != "":
            values[name] = _coerce(name, raw, getattr(base, name))
    settings = replace(base, **values)  # type: ignore[arg-type]
    if settings.anonymity_threshold < 1:
        raise SettingsError("setting anonymity_threshold: must be at least 1")
    if settings.page_output_timeout_seconds < 4:
        raise SettingsError(f"setting page_output_timeout_seconds: {settings.page_output_timeout_seconds} must be at least 4 "
                            "(Voila's own wait); a page whose outputs come later is drawn without them")
    if settings.kernel_launch not in ("fork", "exec"):
        raise SettingsError(f"setting kernel_launch: {settings.kernel_launch!r} is not one of fork, exec")
    if settings.chart_renderer not in ("shared", "kernel"):
        raise SettingsError(f"setting chart_renderer: {settings.chart_renderer!r} is not one of shared, kernel")
    if settings.auth_mode not in AUTH_MODES:
        raise SettingsError(f"setting auth_mode: {settings.auth_mode!r} is not one of {', '.join(AUTH_MODES)}")
    if settings.smtp_tls not in ("starttls", "ssl", "none"):
        raise SettingsError(f"setting smtp_tls: {settings.smtp_tls!r} is not one of starttls, ssl, none")
    settings.trusted_proxy_networks()  # a bad entry is refused when the settings are read
    return settings


def get_settings() -> Settings:
    """The process-wide settings, read once."""
    global _cached
    if _cached is None:
        _cached = load_settings()
    return _cached


def reset_settings() -> None:
    """Forget the cached settings (tests and the CLI's --db option change the environment)."""
    global _cached
    _cached = None
