"""Start Voila on the notebooks with the workbook's serving policy (pools, culling, no tracebacks)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from workbook.errors import SettingsError
from workbook.settings import Settings, get_settings

from .client_address import HEADER as CLIENT_HEADER
from .web_session import HEADER as SESSION_HEADER

TEMPLATE = "workbook"
# A Jupyter data directory holding the workbook's Voila template (voila/templates/workbook/).
TEMPLATE_ROOT = Path(__file__).resolve().parent.parent / "templates"
# What keeps a visitor's page safe (no source, no traceback, no file of the notebooks' folder, the workbook's
# template and kernel manager): ``workbook serve -- ARGS`` may not change these; it is told so in one line.
LOCKED = ("VoilaConfiguration.template", "VoilaConfiguration.allow_template_override",
          "VoilaConfiguration.allow_theme_override", "VoilaConfiguration.show_tracebacks",
          "VoilaConfiguration.strip_sources", "VoilaConfiguration.multi_kernel_manager_class",
          "VoilaConfiguration.file_denylist")
# Jupyter's server counts the IOPub messages and output bytes it relays to a page, to stop a notebook that prints in a
# loop from flooding the browser; for that it decodes each message's header (and a status message's content) and
# sets traits per message. A visitor's page runs no code of its own (the server drops an execute request), and its
# kernel sends widget messages only: the count is left off (~5 % of the server's CPU in a burst, #17).
RATE_LIMIT = False
# Options given once per item (a list or a dict): an operator's items join the workbook's.
MANY = ("Voila.config_file_paths", "WorkbookKernelManager.pool_sizes", "VoilaExporter.filters",
        "VoilaConfiguration.http_header_envs")


def config_paths(settings: Settings) -> list[str]:
    """Where Voila looks for an operator's ``voila.json`` / ``voila.py``, first found wins: the data
    directory (beside workbook.toml), the working directory, then the Jupyter config path
    (``~/.jupyter``, ``/etc/jupyter``…). Such a file adds settings the workbook leaves to Voila, e.g.
    ``{"Voila": {"base_url": "/workbook/"}}`` behind a proxy path."""
    from jupyter_core.paths import jupyter_config_path

    paths = [str(settings.data_dir), os.getcwd(), *jupyter_config_path()]
    return list(dict.fromkeys(paths))


def voila_command(settings: Settings | None = None, port: int | None = None, extra_args: list[str] | tuple = (),
                  base_url: str | None = None) -> list[str]:
    """The Voila command line for the workbook.

    Preheated kernel pools (sized per page by settings) so a page opens without waiting for a
    kernel; idle kernels culled after ``cull_idle_seconds``; no source, no tracebacks.
    ``extra_args`` (``workbook serve -- ARGS``) win over the workbook's own (``with_operator_args``).
    Every option is written with its class (``--Voila.port``, not Voila's alias ``--port``): an operator's option is
    matched to the workbook's without importing Voila, unless the operator uses an alias or a flag.
    """
    s = settings or get_settings()
    s.check_kernel_budget()
    pools = {"default": s.pool_size, **s.pool_sizes()}
    # lists and dicts as one option per item (traitlets 5 deprecates a JSON value on the command line)
    return with_operator_args([
        sys.executable, "-m", "voila", str(s.notebooks_dir),
        *(f"--Voila.config_file_paths={path}" for path in config_paths(s)),
        f"--Voila.port={port or s.port}",
        f"--Voila.ip={s.host}",
        *([f"--Voila.base_url={base_url}"] if base_url else []),
        "--Voila.open_browser=False",
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaConfiguration.default_pool_size={s.pool_size}",
        # pool sizes per page (workbook/serving/kernels.py turns them into Voila's kernel_pools_config)
        *(f"--WorkbookKernelManager.pool_sizes={page}={size}" for page, size in pools.items()),
        # Refill a pool only after the wave of arrivals has signed in: on two cores, a refill
        # (kernel start + a run of the page) right behind each arrival competes with the wave.
        f"--VoilaKernelManager.fill_delay={s.pool_refill_seconds}",
        # a cell's outputs waited for up to page_output_timeout_seconds, not Voila's 4 s: a page whose outputs came
        # late was rendered without its widgets ("Preparing your page…" for ever) when the pools filled on a loaded machine
        f"--VoilaExecutor.iopub_timeout={s.page_output_timeout_seconds}",
        # kernels over IPC (Unix sockets in the runtime dir): no TCP ports, so kernels starting
        # together cannot collide on a port ("Address already in use" left a page waiting)
        "--KernelManager.transport=ipc",
        f"--MappingKernelManager.cull_idle_timeout={s.cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={s.cull_interval_seconds}",
        "--MappingKernelManager.cull_connected=False",
        # the kernel budget (settings: max_kernels, max_kernels_per_client, reserved_kernels, unconnected_cull_seconds)
        f"--WorkbookKernelManager.max_kernels={s.max_kernels}",
        f"--WorkbookKernelManager.max_kernels_per_client={s.max_kernels_per_client}",
        f"--WorkbookKernelManager.reserved_kernels={s.reserved_kernels}",
        f"--WorkbookKernelManager.unconnected_cull_seconds={s.unconnected_cull_seconds}",
        f"--WorkbookKernelManager.demand_pool_size={s.demand_pool_size}",
        # Jupyter's manager with a second look before culling (a preheated kernel handed to a
        # visitor is not culled before the page's websocket connects): workbook/serving/kernels.py
        "--VoilaConfiguration.multi_kernel_manager_class=workbook.serving.kernels.WorkbookKernelManager",
        "--VoilaConfiguration.file_denylist=.*",  # Voila serves no file of the notebooks' folder
        # the words of the page states (preparing, connection lost, closed) for the template's script
        "--VoilaExporter.filters=wb_state_texts=workbook.serving.page_state.state_texts",
        # no IOPub rate limit on a page's websocket (RATE_LIMIT says why)
        f"--ZMQChannelsWebsocketConnection.limit_rate={RATE_LIMIT}",
        # headers the server stamps on each page request for its kernel: the visitor's address
        # (workbook/serving/client_address.py) and the sign-in cookie's session (workbook/serving/web_session.py)
        f"--VoilaConfiguration.http_header_envs={CLIENT_HEADER}",
        f"--VoilaConfiguration.http_header_envs={SESSION_HEADER}",
    ], extra_args)


def option_names(arg: str) -> set[str]:
    """The settings a command-line argument gives: ``--Voila.port=1`` gives ``Voila.port``; Voila's alias ``--port 1``
    and flag ``--debug`` are looked up in Voila's tables (``--debug`` gives ``VoilaConfiguration.show_tracebacks``
    among others); nothing for anything else (a value, a path). Voila is imported only for an alias or a flag."""
    if not arg.startswith("--"):
        return set()
    name = arg[2:].partition("=")[0]
    if "." in name or not name:
        return {name} if name else set()
    from voila.app import Voila

    if name in Voila.aliases:
        return {Voila.aliases[name]}
    if name in Voila.flags:
        return {f"{cls}.{trait}" for cls, traits in Voila.flags[name][0].items() for trait in traits}
    return {name}


def with_operator_args(own: list[str], extra_args: list[str] | tuple) -> list[str]:
    """``own`` then ``extra_args``, without those of the workbook's options an operator gives again: Voila (traitlets)
    refuses a one-value option given twice ("iopub_timeout only accepts one value, got 2"), so the operator's wins.
    An operator's item of a list or dict option (``MANY``) joins the workbook's. A ``LOCKED`` option is refused.
    The workbook's own options are written with their class, so only the operator's are looked up (``option_names``)."""
    if not extra_args:
        return list(own)
    given = set().union(*(option_names(arg) for arg in extra_args))
    for name in LOCKED:
        if name in given:
            raise SettingsError(f"workbook serve -- ... {name}: the workbook sets this to keep visitors' pages safe; "
                                "it cannot be changed (docs/operator/serve.md)")
    kept = [arg for arg in own if not arg.startswith("--") or (name := arg[2:].partition("=")[0]) not in given or name in MANY]
    return kept + list(extra_args)


def kernel_env(settings: Settings | None = None) -> dict[str, str]:
    """The environment the server (and so every kernel) runs with."""
    s = settings or get_settings()
    env = dict(os.environ)
    env["WORKBOOK_DB_URL"] = s.database_url
    env["WORKBOOK_DATA_DIR"] = str(s.data_dir)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # Voila finds the workbook's page template through the Jupyter data path.
    paths = [str(TEMPLATE_ROOT)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != str(TEMPLATE_ROOT)]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    return env


def serve(settings: Settings | None = None, port: int | None = None, extra_args: list[str] | tuple = ()) -> int:
    """Run Voila in the foreground until interrupted; returns its exit code."""
    s = settings or get_settings()
    command = voila_command(s, port, extra_args)  # an option refused: said before anything is printed
    url = f"http://localhost:{port or s.port}/voila/render/00_home.ipynb"
    print(f"Servuction Workbook: open {url} (behind a proxy path: under its base_url)", flush=True)
    try:
        return subprocess.call(command, env=kernel_env(s))
    except KeyboardInterrupt:
        return 0
