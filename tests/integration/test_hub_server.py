"""The workbook's single-user server (#17, ``workbook singleuser``, ``workbook/serving/hub.py``) serves the workbook's
pages and nothing else: each route a trainee owning the server could use to run code or read files (and so read
``WORKBOOK_DB_URL``) is refused, while the same Jupyter server without the lock answers it. The page's own kernel
websocket passes widget messages only, and the page signs in the server's hub user.

The servers here run with ``server_args()`` (the options ``workbook singleuser`` gives jupyterhub-singleuser) on a
plain ``jupyter server`` with no token at all: the refusals come from the lock, not from authentication (under
the hub every request is authenticated as well, tests/browser/test_hub.py).
"""
from __future__ import annotations

import json
import re
import time
from types import SimpleNamespace

import pytest
import requests
from jupyter_servers import clean_env, serve_jupyter, stop_process
from servers import KernelClient, server_settings

from workbook.auth.identity import Identity
from workbook.serving.hub import permitted, server_args, singleuser_env

pytestmark = pytest.mark.slow
KERNEL = "0c6f3c47-0b67-4c1a-9b0b-1d2a5d0c7e11"
# What a trainee owning the server could reach through each route without the lock.
REFUSED = [
    ("GET", "lab", "JupyterLab"),
    ("GET", "tree", "the notebook file tree"),
    ("GET", "api/contents", "the contents API: every file of the server, readable and writable"),
    ("GET", "api/contents/00_home.ipynb?content=1", "a page's source"),
    ("PUT", "api/contents/evil.py", "writing a file"),
    ("GET", "files/00_home.ipynb", "a file's bytes"),
    ("GET", "api/kernels", "the list of kernels"),
    ("POST", "api/kernels", "a new kernel of one's own, which runs any code (os.environ['WORKBOOK_DB_URL'])"),
    ("POST", f"api/kernels/{KERNEL}/restart", "restarting a page's kernel"),
    ("GET", "api/sessions", "the sessions API"),
    ("POST", "api/sessions", "a notebook session with its kernel"),
    ("GET", "api/terminals", "the terminals API"),
    ("POST", "api/terminals", "a shell"),
    ("GET", "terminals/1", "a terminal page"),
    ("GET", "api/kernelspecs", "the kernel specs"),
    ("GET", "nbconvert/html/00_home.ipynb", "a page converted with its source"),
    ("GET", "voila", "Voila's notebook list"),
    ("GET", "voila/tree", "Voila's notebook list"),
    ("GET", "voila/api/contents", "Voila's contents API"),
    ("GET", "voila/files/00_home.ipynb", "Voila's file handler"),
    ("GET", "voila/render/../00_home.ipynb", "a page outside the pages' folder"),
    ("GET", "api/config/notebook", "the frontend config"),
]
# Routes the Jupyter server of this environment has at all (JupyterLab, the classic notebook and terminals are not
# installed here): the unlocked server answers them with something else than 404.
EXIST_UNLOCKED = {"api/contents", "api/contents/00_home.ipynb?content=1", "PUT api/contents/evil.py", "files/00_home.ipynb",
                  "api/kernels", "POST api/kernels", "api/sessions", "POST api/sessions", "api/kernelspecs",
                  "nbconvert/html/00_home.ipynb", "voila", "voila/tree", "voila/api/contents", "api/config/notebook"}


def _request(url: str, method: str, path: str) -> requests.Response:
    body = {"PUT": '{"type": "file", "format": "text", "content": "x"}', "POST": "{}"}.get(method)
    if path == "api/sessions" and method == "POST":
        body = '{"path": "00_home.ipynb", "type": "notebook", "kernel": {"name": "python3"}}'
    return requests.request(method, f"{url}/{path}", data=body, timeout=60, allow_redirects=False)


@pytest.fixture(scope="module")
def hub_data(tmp_path_factory):
    """A data directory whose database has Ann, invited with the hub login ``ann``."""
    from workbook.store import Database, create_cohort, invite

    data = tmp_path_factory.mktemp("hubdata")
    settings = server_settings(data, {"WORKBOOK_AUTH_MODE": "jupyterhub"})
    db = Database(settings.database_url, settings)
    try:
        invite(db, Identity.admin(), create_cohort(db, Identity.admin(), "Hub cohort"), "Ann Hub", login="ann")
    finally:
        db.dispose()
    return data


@pytest.fixture(scope="module")
def locked(tmp_path_factory, hub_data):
    tmp = tmp_path_factory.mktemp("locked")
    env = clean_env(tmp)
    env["WORKBOOK_DATA_DIR"] = str(hub_data)
    env = {**env, **{k: v for k, v in singleuser_env(server_settings(hub_data)).items() if k.startswith(("WORKBOOK_", "JUPYTER_PATH"))}}
    env["WORKBOOK_DATA_DIR"], env["JUPYTERHUB_USER"] = str(hub_data), "ann"
    env.pop("WORKBOOK_DB_URL", None)  # the data directory's SQLite
    proc, url, _ = serve_jupyter(tmp, server_args(server_settings(hub_data)), env=env, ready="/", token="")
    yield SimpleNamespace(url=url, port=int(url.rsplit(":", 1)[1]), proc=proc, tmp=tmp)
    stop_process(proc)


@pytest.fixture(scope="module")
def unlocked(tmp_path_factory):
    """The same Jupyter server with Voila, without the workbook's lock (the control)."""
    from servers import ROOT

    tmp = tmp_path_factory.mktemp("unlocked")
    proc, url, _ = serve_jupyter(tmp, [f"--ServerApp.root_dir={ROOT / 'notebooks'}", "--VoilaConfiguration.template=workbook"], token="")
    yield url
    stop_process(proc)


def test_the_pure_rule_on_a_hub_base_url():
    base = "/user/ann/"
    assert permitted("GET", "/user/ann/voila/render/01_servuction.ipynb", base) and permitted("GET", "/user/ann", base)
    assert permitted("GET", f"/user/ann/api/kernels/{KERNEL}/channels", base) and permitted("GET", f"/user/ann/api/kernels/{KERNEL}", base)
    assert not permitted("DELETE", f"/user/ann/api/kernels/{KERNEL}", base) and not permitted("GET", "/user/ann/api/kernels/", base)
    assert not permitted("POST", "/user/ann/voila/render/01_servuction.ipynb", base)
    assert not permitted("GET", "/user/ben/voila/render/01_servuction.ipynb", base)  # another base URL
    for method, path, _what in REFUSED:
        assert not permitted(method, base + path.split("?")[0], base), path


@pytest.mark.parametrize(("method", "path", "what"), REFUSED, ids=[f"{m} {p}" for m, p, _ in REFUSED])
def test_each_route_to_code_or_files_is_refused(locked, unlocked, method, path, what):
    got = _request(locked.url, method, path)
    assert got.status_code == 404, f"{method} /{path} ({what}) answered {got.status_code} on the locked server"
    key = path if method == "GET" else f"{method} {path}"
    if key in EXIST_UNLOCKED:  # the route is real here: without the lock the same request is served
        control = _request(unlocked, method, path)
        assert control.status_code not in (404, 405), f"control: {method} /{path} gave {control.status_code}"


def test_the_page_opens_as_the_servers_hub_user_and_its_websocket_runs_no_code(locked):
    root = requests.get(f"{locked.url}/", timeout=60, allow_redirects=False)
    assert root.status_code == 302 and root.headers["Location"].split("?")[0].endswith("/voila/render/00_home.ipynb")
    page = requests.get(f"{locked.url}/voila/render/00_home.ipynb", timeout=300)
    assert page.status_code == 200 and "data-wb-ticket" in page.text  # the workbook's own template
    kernel = re.search(r'"?kernelId"?\s*[:=]\s*"([0-9a-f-]{36})"', page.text).group(1)
    assert '"closed":' in page.text  # the page states' words reached the template's script (its filter is set)
    assert requests.get(f"{locked.url}/workbook/page-state/{kernel}", timeout=60).json() == {"state": "open"}
    client = KernelClient(SimpleNamespace(port=locked.port), kernel)
    try:
        states = client.widget_states()
        assert "Signed in as <b>Ann Hub</b>" in json.dumps(states, ensure_ascii=False), "the server's hub user is not signed in"
        marker = locked.tmp / "ran.txt"
        run = client.send("execute_request", {"code": f"open({str(marker)!r}, 'w').write('ran')", "silent": False,
                                              "store_history": False, "user_expressions": {}, "allow_stdin": False})
        info = client.send("comm_info_request", {})
        replies = []
        for msg in client.messages():
            replies.append(msg.get("parent_header", {}).get("msg_id"))
            if msg.get("msg_type") == "comm_info_reply" and msg["parent_header"].get("msg_id") == info:
                break
        time.sleep(3)
        assert not marker.exists() and run not in replies, "an execute_request over the page's websocket ran"
    finally:
        client.close()
