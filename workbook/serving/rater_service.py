"""The rater page under JupyterHub (#17): ``workbook raters serve``, a standalone Voila that serves the 360 rater page
and nothing else, run by the hub as a service (``/services/workbook-raters/`` behind the hub's proxy).

Why a service of its own: a rater (a client, a peer of the trainee) has no hub account, so no hub user's server may
serve them (each one lets in its owner only), and the hub's login must not stand before the page. The service is
reached through the hub's proxy without a hub login; the rater signs in on the page with their rater code, as on a
code-mode server, and the answer goes to the deployment's one database. It is standalone Voila, not a Jupyter
server extension, so the code mode's whole policy applies unchanged: a preheated pool of rater pages, the sign-in
cookie (``web_session``), the growing waits after wrong codes per address (behind the proxy: ``trusted_proxies``),
the page states and the kernel budget.

Locked like a user's server (``hub.lock``, the same mechanism, its own table ``RATER_ROUTES``): only the rater page
and what it loads answer; the bare base URL redirects to the page; every other path, a trainee's or coach's page
included, gets 404 before any handler. And the folder it serves holds a copy of ``rater.ipynb`` alone.
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import replace

from workbook.errors import WorkbookError
from workbook.settings import Settings, get_settings

from .hub import _KERNEL, Routes, lock
from .serve import kernel_env, voila_command

RATER_PAGE = "rater.ipynb"
SERVICE_NAME = "workbook-raters"  # the hub's service name: served at /services/workbook-raters/
# The page's kernel imports only the rater page (the fork server preloads nothing of the trainees' pages).
RATER_PRELOAD = "ipykernel.kernelapp,ipywidgets,voila.utils,sqlalchemy.dialects.sqlite,workbook.ui.pages.rater"
# (methods, path under the base URL): what the rater page needs in standalone Voila, nothing else
RATER_ROUTES: Routes = (
    (("GET", "HEAD"), r"voila/render/" + RATER_PAGE.replace(".", r"\.")),
    (("GET", "HEAD"), r"voila/(?:static|templates|labextensions)/(?!.*\.\.)[^?]+"),
    (("GET", "HEAD"), r"voila/api/themes/(?!.*\.\.)[^?]+"),
    (("POST",), rf"voila/api/shutdown/{_KERNEL}"),
    (("GET",), rf"api/kernels/{_KERNEL}"),
    (("GET",), rf"api/kernels/{_KERNEL}/channels"),
    (("GET",), rf"workbook/page-state/{_KERNEL}"),
    (("POST",), r"workbook/(?:session|signout)"),  # the sign-in cookie (web_session.py)
)


def service_settings(settings: Settings | None = None, pool: int = 2) -> Settings:
    """The settings of the rater service: access codes on (raters sign in with theirs), one folder holding only the
    rater page (``<data dir>/rater-service``) with a pool of ``pool`` preheated kernels, the fork server preloading the rater page only,
    no chart renderer."""
    s = settings or get_settings()
    folder = s.data_dir / "rater-service"  # made afresh at each start
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy2(s.notebooks_dir / RATER_PAGE, folder / RATER_PAGE)
    # the rater page draws no chart: no shared chart renderer process (75 MB PSS) beside its kernels
    return replace(s, auth_mode="codes", notebooks_dir=folder, pools=f"{RATER_PAGE}={pool}", pool_size=0,
                   kernel_preload=RATER_PRELOAD, chart_renderer="kernel")


def service_command(settings: Settings, port: int, base_url: str) -> list[str]:
    """The Voila command of the rater service, started through this module so that the lock is installed first."""
    command = voila_command(settings, port, base_url=f"/{base_url.strip('/')}/" if base_url.strip("/") else "/")
    if command[1:3] != ["-m", "voila"]:  # the lock is installed by running this module in voila's place
        raise WorkbookError(f"the rater service cannot start: the Voila command is {' '.join(command[:3])!r}, not "
                           "'python -m voila' (workbook/serving/serve.py voila_command changed; update service_command)")
    return [command[0], "-m", __name__, *command[3:]]


def service_env(settings: Settings) -> dict[str, str]:
    """The service's environment: the workbook's, with access codes on whatever the hub's environment says."""
    env = kernel_env(settings)
    env["WORKBOOK_AUTH_MODE"] = "codes"
    env["WORKBOOK_KERNEL_PRELOAD"], env["WORKBOOK_CHART_RENDERER"] = settings.kernel_preload, settings.chart_renderer
    env["WORKBOOK_POOLS"], env["WORKBOOK_POOL_SIZE"] = settings.pools, str(settings.pool_size)
    return env


def run_service(settings: Settings | None = None, port: int | None = None, base_url: str = f"/services/{SERVICE_NAME}/") -> None:
    """Replace this process by the rater service (the hub watches the process it started)."""
    s = service_settings(settings)
    command = service_command(s, port or s.port, base_url)
    os.execve(command[0], command, service_env(s))


def _main(argv: list[str]) -> None:
    """``python -m workbook.serving.rater_service VOILA_ARGS``: Voila, locked to ``RATER_ROUTES`` once it listens."""
    from voila.app import Voila

    original_listen = Voila.listen

    def listen(self):
        lock(self.app, self.server_url or self.base_url or "/", RATER_ROUTES, home=f"voila/render/{RATER_PAGE}")
        self.log.info("Servuction Workbook: this server serves the 360 rater page only (workbook.serving.rater_service)")
        return original_listen(self)

    Voila.listen = listen
    Voila.launch_instance(argv=argv)


if __name__ == "__main__":
    _main(sys.argv[1:])
