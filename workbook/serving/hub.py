"""The workbook's single-user server under JupyterHub (#17): ``jupyterhub-singleuser`` with Voila as its server
extension, locked to the workbook's pages.

Why this and not standalone Voila behind ``jhsingle-native-proxy``: JupyterHub's own single-user code
authenticates every request against the hub, websockets included, and lets through only the server's owner
(``access:servers!server=user/NAME``); jhsingle-native-proxy 0.8.3 (its last release, 2024) checks the hub's
login on HTTP requests but opens a proxied websocket without it. What it costs: Voila's preheated pools exist only
in standalone Voila, so a page's kernel starts when the page is opened. It is forked from the server's fork server
(the imports are done once per server), so that is the page's own run, ~1-2 s; a per-user pool would also hold
idle kernels for every user of the hub.

The lock (``permitted``, installed by this module as a Jupyter server extension): a request whose path is not one
of ``ALLOWED_ROUTES`` under the server's base URL gets 404 before any handler runs. So a trainee reaches no
JupyterLab, file tree, terminal, contents or sessions API, cannot start or list kernels (only a page's own
kernel websocket, which passes widget messages only: ``kernels.PAGE_MESSAGES``), and cannot read the server's
environment (``WORKBOOK_DB_URL``) through any of them.
"""
from __future__ import annotations

import importlib.util
import os
import re
import tempfile

from workbook.settings import Settings, get_settings

from .launch import LAUNCH
from .serve import RATE_LIMIT, TEMPLATE, kernel_env

HOME_PAGE = "00_home.ipynb"
_KERNEL = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# (methods, path under the base URL): everything a workbook page needs, nothing else
ALLOWED_ROUTES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("GET", "HEAD"), r""),  # the base URL: redirects to the home page (default_url)
    (("GET", "HEAD"), r"voila/render/(?!.*\.\.)[A-Za-z0-9_.-]+\.ipynb"),  # a page, by its name (no folder, no ..)
    (("GET", "HEAD"), r"voila/(?:static|templates|labextensions)/(?!.*\.\.)[^?]+"),  # the page's scripts, styles, widgets
    (("GET", "HEAD"), r"voila/api/themes/(?!.*\.\.)[^?]+"),
    (("POST",), rf"voila/api/shutdown/{_KERNEL}"),  # a page that closes frees its kernel
    (("GET",), rf"api/kernels/{_KERNEL}"),  # the page's script reads its own kernel's model (id, state) before connecting
    (("GET",), rf"api/kernels/{_KERNEL}/channels"),  # the page's own kernel websocket (widget messages only)
    (("GET", "HEAD"), r"api"),  # the server's version, which the hub checks after a spawn
    (("GET",), rf"workbook/page-state/{_KERNEL}"),  # whether the page's kernel is still there (page_state.py)
    (("GET", "HEAD"), r"static/(?!.*\.\.)[^?]+"),  # the server's favicon and base styles
    (("GET",), r"oauth_callback"),  # JupyterHub's login hand-back
    (("GET",), r"logout"),  # to the hub's logout
)
# Extensions a Jupyter environment may enable that a workbook server never runs (the lock refuses their routes anyway).
DISABLED_EXTENSIONS = ("jupyterlab", "notebook", "nbclassic", "jupyter_server_terminals", "jupyter_lsp",
                       "jupyter_server_proxy", "jupyter_collaboration", "jupyter_server_ydoc", "nbdime", "jupyter_resource_usage")


Routes = tuple[tuple[tuple[str, ...], str], ...]


def _routes(base_url: str, table: Routes = ALLOWED_ROUTES) -> list[tuple[tuple[str, ...], re.Pattern]]:
    base = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    return [(methods, re.compile(re.escape(base) + path + r"\Z")) for methods, path in table]


def _at_base(method: str, path: str, base_url: str) -> bool:
    """A GET or HEAD of the base URL itself, with or without its trailing slash."""
    return method in ("GET", "HEAD") and path.rstrip("/") == ("/" + base_url.strip("/")).rstrip("/")


def _allowed(method: str, path: str, routes: list[tuple[tuple[str, ...], re.Pattern]]) -> bool:
    return any(method in methods and pattern.match(path) for methods, pattern in routes)


def permitted(method: str, path: str, base_url: str = "/", table: Routes = ALLOWED_ROUTES) -> bool:
    """Whether a request (``path`` as sent, without its query) may reach a handler of a locked workbook server at
    ``base_url``: one of the routes of ``table`` (default: the single-user server's), or the base URL itself.
    ``lock`` decides with the same two checks."""
    return _at_base(method, path, base_url) or _allowed(method, path, _routes(base_url, table))


def lock(web_app, base_url: str, table: Routes = ALLOWED_ROUTES, home: str = "") -> None:
    """Refuse (404, before any handler) every request ``permitted`` does not allow, on a tornado application.
    ``home``: a page path under the base URL the bare base URL redirects to (a server with no ``default_url``)."""
    from tornado import web

    from workbook import logs

    if getattr(web_app, "_workbook_locked", False):
        return
    routes = _routes(base_url, table)
    bare = "/" + base_url.strip("/")
    original = web_app.find_handler
    log = logs.logger("workbook.serving")

    def find_handler(request, **kwargs):
        path = request.path
        at_base = _at_base(request.method, path, base_url)
        if at_base and home:
            target = bare.rstrip("/") + "/" + home + (f"?{request.query}" if request.query else "")
            return web_app.get_handler_delegate(request, web.RedirectHandler, {"url": target, "permanent": False})
        if not (at_base or _allowed(request.method, path, routes)):
            log.info("refused %s %s: not a workbook page route", request.method, path[:200])
            return web_app.get_handler_delegate(request, web.ErrorHandler, {"status_code": 404})
        return original(request, **kwargs)

    web_app.find_handler = find_handler
    web_app._workbook_locked = True


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "workbook.serving.hub"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Jupyter server extension: lock the server to the workbook's page routes, and start the fork server at once
    (it imports the pages, seconds of CPU) while the browser is still on its way from the hub's login."""
    from .page_state import _handlers as page_state_handlers

    serverapp.web_app.add_handlers(".*$", page_state_handlers(serverapp.base_url))  # the page's script asks it
    lock(serverapp.web_app, serverapp.base_url)
    serverapp.log.info("Servuction Workbook: this server serves the workbook's pages only (workbook.serving.hub)")
    if get_settings().kernel_launch == "fork":
        from tornado.ioloop import IOLoop

        from .forking import _fork_server

        async def warm() -> None:
            try:
                await _fork_server()
            except Exception:  # noqa: BLE001 - the first page starts it (or falls back to exec) as without warming
                serverapp.log.warning("the fork server did not start ahead of the first page", exc_info=True)

        IOLoop.current().add_callback(warm)


# What a user's fork server imports (the setting kernel_preload; its default suits one server for everyone): the
# trainees' pages and the PostgreSQL driver every hub uses, not the charts' Altair and pandas (~65 MB of the fork
# server's memory, and part of each page kernel's) that only chart pages load, when they draw (the coach's, a journey
# map, a grid): on the hub every user has a fork server of their own, so what it holds is paid once per user.
HUB_PRELOAD = ("ipykernel.kernelapp,ipywidgets,voila.utils,sqlalchemy.dialects.postgresql.psycopg,workbook.ui.pages.module,"
               "workbook.ui.pages.home,workbook.ui.pages.examples,workbook.ui.pages.quiz")


def server_args(settings: Settings | None = None) -> list[str]:
    """The Jupyter server options of a workbook single-user server (Voila as server extension, the lock, the
    kernel manager with the workbook's budget and widget-only websockets, kernels culled when idle)."""
    s = settings or get_settings()
    extensions = {name: False for name in DISABLED_EXTENSIONS} | {"voila.server_extension": True, "workbook.serving.hub": True}
    per_server = s.max_kernels_per_client  # one person's server: their page kernels at most
    return [
        f"--ServerApp.root_dir={s.notebooks_dir}",
        f"--ServerApp.default_url=/voila/render/{HOME_PAGE}",
        f"--ServerApp.jpserver_extensions={extensions!r}",  # a Python literal: traitlets reads a Dict option so
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.kernel_manager_class=workbook.serving.kernels.WorkbookKernelManager",
        f"--WorkbookKernelManager.max_kernels={per_server}",
        f"--WorkbookKernelManager.max_kernels_per_client={per_server}",
        "--WorkbookKernelManager.reserved_kernels=0",
        f"--WorkbookKernelManager.unconnected_cull_seconds={s.unconnected_cull_seconds}",
        f"--MappingKernelManager.cull_idle_timeout={s.cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={s.cull_interval_seconds}",
        "--MappingKernelManager.cull_connected=False",
        "--KernelManager.transport=ipc",
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.file_allowlist=[]",
        # a page's outputs waited for up to page_output_timeout_seconds, not Voila's 4 s (serve.py says why)
        f"--VoilaExecutor.iopub_timeout={s.page_output_timeout_seconds}",
        # the words of the page states (preparing, connection lost, closed) for the template's script
        "--VoilaExporter.filters=wb_state_texts=workbook.serving.page_state.state_texts",
        f"--ZMQChannelsWebsocketConnection.limit_rate={RATE_LIMIT}",  # serve.py says why
    ]


def singleuser_env(settings: Settings | None = None) -> dict[str, str]:
    """The environment of the single-user server and its kernels: the workbook's, with identity from the hub."""
    env = kernel_env(settings)
    env["WORKBOOK_AUTH_MODE"] = "jupyterhub"
    env["WORKBOOK_POOLS"] = ""  # no preheated pools outside standalone Voila (their sizes count in the budget check)
    env.setdefault("WORKBOOK_KERNEL_PRELOAD", HUB_PRELOAD)  # unless the operator chose the fork server's imports
    env["WORKBOOK_POOL_SIZE"] = "0"
    env["JUPYTERHUB_SINGLEUSER_EXTENSION"] = "1"
    # Kernels talk over Unix sockets in the runtime directory, whose path must stay under 107 characters: a short
    # private directory of this server instead of ~/.local/share/jupyter/runtime under a long home directory.
    env["JUPYTER_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="wb-rt-")
    return env


def singleuser_command(settings: Settings | None = None, extra_args: list[str] | tuple = ()) -> list[str]:
    """JupyterHub's single-user server with the workbook's options (what the hub's spawner runs, through ``workbook
    singleuser``), started by ``launch`` as ``jupyterhub-singleuser`` would be, with the grammar import blocked;
    ``extra_args`` (the hub's ``--port`` and the like) come last."""
    if importlib.util.find_spec("jupyterhub") is None:
        from workbook.errors import SettingsError

        raise SettingsError("jupyterhub is not installed in this environment; install the `jupyterhub` package "
                            "in the single-user image (deploy/Dockerfile does)")
    return [*LAUNCH, "singleuser", *server_args(settings), *extra_args]


def run_singleuser(settings: Settings | None = None, extra_args: list[str] | tuple = ()) -> None:
    """Replace this process by the workbook's single-user server (the hub watches the process it spawned)."""
    command = singleuser_command(settings, extra_args)
    os.execve(command[0], command, singleuser_env(settings))
