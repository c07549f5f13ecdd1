"""The serving policy without a server: the kernel budget's bookkeeping and the Voila command line the
workbook builds (the real server under that policy: tests/integration/test_serving.py)."""
from __future__ import annotations

import pytest
from servers import bare_notebooks


def test_budget_rules_total_per_client_pool_room_and_unconnected():
    """The bookkeeping behind the cap (no server): numbers chosen so each rule decides once."""
    from workbook.serving.kernel_budget import KernelBudget

    now = [0.0]
    b = KernelBudget(max_kernels=6, max_per_client=2, clock=lambda: now[0])
    # a ready preheated kernel is handed out even with every kernel in use: it starts nothing
    a1 = b.admit("a", "home", kernels=6, ready_pooled=1, pool_deficit=0)
    assert a1 is not None and a1.pooled
    assert b.admit("b", "home", kernels=6, ready_pooled=1, pool_deficit=0) is None  # that one is claimed
    # a fresh kernel must fit with the pools' missing kernels: 3 running + 2 to refill + 1 <= 6
    a2 = b.admit("a", "home", kernels=3, ready_pooled=0, pool_deficit=2)
    assert a2 is not None and not a2.pooled
    assert b.admit("a", "home", kernels=0, ready_pooled=5, pool_deficit=0) is None  # "a" holds 2
    assert b.admit("b", "home", kernels=3, ready_pooled=0, pool_deficit=2) is None  # a2 not started yet: 3+1+2+1 > 6
    assert not b.refill_room(5) and b.refill_room(4)  # admitted pages start before refills
    b.started(a2)
    b.bind(a2, "k2")
    b.bind(a1, "k1")
    assert b.refill_room(5)
    b.connected("k1")
    now[0] = 61.0
    assert b.unconnected(60) == ["k2"]  # k1's page connected; k2's never did
    b.kernel_gone("k2")
    assert b.held_by("a") == 1 and b.admit("a", "home", kernels=4, ready_pooled=0, pool_deficit=0) is not None
    stale = b.admit("c", "home", kernels=0, ready_pooled=0, pool_deficit=0)
    b.release(stale)
    assert b.held_by("c") == 0
    b.admit("d", "home", kernels=0, ready_pooled=0, pool_deficit=0)
    now[0] += 601  # an admitted request that never got a kernel is forgotten
    b.forget_stale()
    assert b.held_by("d") == 0


def test_budget_keeps_a_reserve_for_signed_in_visitors_and_a_sign_in_moves_the_kernel():
    """Anonymous pages hold at most max_kernels - reserve; a live session's subject is its own
    visitor (not its address), and signing in moves the address's latest page kernel to it."""
    from workbook.serving.kernel_budget import KernelBudget

    now = [0.0]
    b = KernelBudget(max_kernels=6, max_per_client=2, reserve=2, clock=lambda: now[0])
    anon = [b.admit(a, "home", kernels=0, ready_pooled=0, pool_deficit=0) for a in ("a", "b", "c", "d")]
    assert all(anon) and b.anonymous() == 4
    assert b.admit("e", "home", kernels=4, ready_pooled=0, pool_deficit=0) is None  # 6 - 2 reserved
    assert b.admit("e", "home", kernels=4, ready_pooled=1, pool_deficit=0) is None  # not even a pooled one
    ann = b.admit("person:1", "home", kernels=0, ready_pooled=0, pool_deficit=0, signed_in=True)
    assert ann is not None and ann.signed_in and b.anonymous() == 4
    # a room behind one address: the sign-in on a's page frees a's slot and the anonymous room
    for t, k in zip(anon, ("k1", "k2", "k3", "k4")):
        b.started(t)
        now[0] += 1
        b.bind(t, k)
    second = b.admit("a", "home", kernels=5, ready_pooled=1, pool_deficit=0) is None
    assert second  # anonymous room full
    assert b.sign_in("a", "person:2") and b.held_by("a") == 0 and b.held_by("person:2") == 1
    assert b.anonymous() == 3
    assert not b.sign_in("a", "person:3")  # no anonymous page of a left to move
    assert b.admit("a", "home", kernels=5, ready_pooled=1, pool_deficit=0) is not None
    # the per-visitor cap now counts the person, wherever they are
    b.admit("person:2", "x", kernels=0, ready_pooled=0, pool_deficit=0, signed_in=True)
    assert b.admit("person:2", "y", kernels=0, ready_pooled=0, pool_deficit=0, signed_in=True) is None


def test_a_budget_the_pools_use_up_is_refused_in_one_line(tmp_path):
    from servers import server_settings

    from workbook.errors import SettingsError
    from workbook.serving.serve import voila_command

    settings = server_settings(tmp_path, {"WORKBOOK_NOTEBOOKS_DIR": str(bare_notebooks(tmp_path / "nb")),
                                          "WORKBOOK_POOLS": "bare.ipynb=4", "WORKBOOK_MAX_KERNELS": "4"})
    with pytest.raises(SettingsError) as err:
        voila_command(settings)
    assert "max_kernels: 4 leaves no kernel for a page beside the 4 preheated ones" in str(err.value) and "\n" not in str(err.value)


def _parsed_by_voila(cmd: list[str]):
    """``cmd``'s options as Voila's own parser reads them (it exits on an option given twice)."""
    from voila.app import Voila

    app = Voila()
    app.parse_command_line(cmd[4:])  # after python -m voila NOTEBOOKS
    return app.config


def test_operator_voila_settings_come_from_the_data_directory_and_extra_args_win(tmp_path):
    """An operator's voila.json in the data directory is searched first (before the working directory and
    ~/.jupyter), and `workbook serve -- ARGS` wins over the workbook's own options: one the workbook sets too is
    taken out (Voila refused a one-value option given twice, so `-- --VoilaExecutor.iopub_timeout=30` or
    `-- --port=1234` stopped the server), whether named as the workbook names it or through Voila's alias."""
    from servers import server_settings

    from workbook.serving.serve import voila_command

    settings = server_settings(tmp_path, {"WORKBOOK_NOTEBOOKS_DIR": str(bare_notebooks(tmp_path / "nb"))})
    extra = ["--Voila.base_url=/wb/", "--Voila.port=1234", "--VoilaExecutor.iopub_timeout", "30",
             "--Voila.config_file_paths=/operator/conf", "--Voila.ip=0.0.0.0"]
    cmd = voila_command(settings, 9999, extra)
    assert cmd[-len(extra):] == extra
    assert not [a for a in cmd if a.startswith(("--Voila.port=9999", "--Voila.ip=127", "--VoilaExecutor.iopub_timeout="))]
    config = _parsed_by_voila(cmd)
    assert config.Voila.port == 1234 and config.Voila.ip == "0.0.0.0" and config.Voila.base_url == "/wb/"
    assert config.VoilaExecutor.iopub_timeout == 30
    paths = [a.partition("=")[2] for a in cmd if a.startswith("--Voila.config_file_paths=")]
    assert paths[0] == str(tmp_path) and len(paths) > 2 and paths[-1] == "/operator/conf"  # a list: joined, not replaced
    own = _parsed_by_voila(voila_command(settings, 9999))  # control: the workbook's own, without the operator's
    assert own.Voila.port == 9999 and own.VoilaExecutor.iopub_timeout == settings.page_output_timeout_seconds
    aliased = voila_command(settings, 9999, ["--port=4321", "--pool_size", "3"])  # Voila's aliases name the same settings
    assert "--Voila.port=9999" not in aliased and not [a for a in aliased if a.startswith("--VoilaConfiguration.default_pool_size=")]
    config = _parsed_by_voila(aliased)
    assert config.Voila.port == 4321 and config.VoilaConfiguration.default_pool_size == 3


def test_the_workbooks_own_options_are_matched_without_importing_voila(tmp_path, monkeypatch):
    """The workbook writes its options with their class, so an operator's ``--Voila.port=…`` (or the rater
    service's base URL) is matched to them without importing Voila (0.6 CPU s) only to start it right after."""
    import sys

    from servers import server_settings

    from workbook.serving.rater_service import service_command, service_settings
    from workbook.serving.serve import voila_command

    settings = server_settings(tmp_path, {"WORKBOOK_NOTEBOOKS_DIR": str(bare_notebooks(tmp_path / "nb"))})
    monkeypatch.setitem(sys.modules, "voila.app", None)  # importing it now raises ImportError
    cmd = voila_command(settings, 9999, ["--Voila.port=1234", "--VoilaExecutor.iopub_timeout=30"])
    assert "--Voila.port=1234" in cmd and "--Voila.port=9999" not in cmd
    rater = service_settings(server_settings(tmp_path / "r", {}))  # the repository's notebooks (the rater page)
    assert "--Voila.base_url=/services/r/" in service_command(rater, 8870, "/services/r/")
    with pytest.raises(ImportError):  # control: an alias is looked up in Voila's table
        voila_command(settings, 9999, ["--port=1234"])


@pytest.mark.parametrize("arg", ["--show_tracebacks=True", "--VoilaConfiguration.strip_sources=False",
                                 "--template=lab", "--VoilaConfiguration.file_denylist=[]", "--debug"])
def test_what_keeps_visitors_pages_safe_cannot_be_changed_from_the_command_line(tmp_path, arg):
    """Tracebacks, notebook sources, the template and the notebooks' folder stay closed to visitors: the operator is
    told in one line which option, and why."""
    from servers import server_settings

    from workbook.errors import SettingsError
    from workbook.serving.serve import voila_command

    settings = server_settings(tmp_path, {"WORKBOOK_NOTEBOOKS_DIR": str(bare_notebooks(tmp_path / "nb"))})
    with pytest.raises(SettingsError) as err:
        voila_command(settings, 9999, [arg])
    message = str(err.value)
    assert "\n" not in message and "cannot be changed" in message
    assert ("show_tracebacks" if arg == "--debug" else arg[2:].partition("=")[0].split(".")[-1]) in message


def test_voila_waits_for_a_cells_output_as_the_setting_says_and_a_wait_below_voilas_is_refused(tmp_path):
    """The command line sets Voila's executor (nbclient's ``iopub_timeout``, read by Voila's own parser) from
    ``page_output_timeout_seconds``; a wait under Voila's own 4 s is refused in one line naming the setting."""
    from servers import server_settings
    from traitlets.config import Application, Config
    from voila.app import Voila
    from voila.execute import VoilaExecutor

    from workbook.errors import SettingsError
    from workbook.serving.hub import server_args
    from workbook.serving.serve import voila_command

    nb = str(bare_notebooks(tmp_path / "nb"))
    for value, expected in (("", 120), ("45", 45)):
        settings = server_settings(tmp_path, {"WORKBOOK_NOTEBOOKS_DIR": nb, "WORKBOOK_PAGE_OUTPUT_TIMEOUT_SECONDS": value})
        options = [a for a in voila_command(settings, 9999) if a.startswith("--VoilaExecutor.")]
        app = Voila()
        app.parse_command_line(options)
        assert VoilaExecutor(None, config=Config(app.config)).iopub_timeout == expected
        hub = Application()  # a hub user's Jupyter server reads the same option (Voila as its extension)
        hub.parse_command_line([a for a in server_args(settings) if a.startswith("--VoilaExecutor.")])
        assert VoilaExecutor(None, config=Config(hub.config)).iopub_timeout == expected
    with pytest.raises(SettingsError) as err:
        server_settings(tmp_path, {"WORKBOOK_NOTEBOOKS_DIR": nb, "WORKBOOK_PAGE_OUTPUT_TIMEOUT_SECONDS": "2"})
    assert "setting page_output_timeout_seconds: 2 must be at least 4" in str(err.value) and "\n" not in str(err.value)


def test_a_pages_websocket_relays_without_the_iopub_rate_count(tmp_path):
    """The command line turns off Jupyter's IOPub rate count (serve.RATE_LIMIT), and a websocket connection made as
    Jupyter's handler makes it (the kernel as parent, no config of its own: Voila passes none) reads it; the hub's
    single-user server sets the same."""
    from jupyter_client.ioloop import AsyncIOLoopKernelManager
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from servers import server_settings
    from traitlets.config import Config

    from workbook.serving.hub import server_args
    from workbook.serving.serve import voila_command

    settings = server_settings(tmp_path, {"WORKBOOK_NOTEBOOKS_DIR": str(bare_notebooks(tmp_path / "nb"))})
    config = _parsed_by_voila(voila_command(settings, 9999))
    kernels = AsyncMappingKernelManager(config=config)
    kernel = AsyncIOLoopKernelManager(parent=kernels)
    assert ZMQChannelsWebsocketConnection(parent=kernel, config=None).limit_rate is False
    assert ZMQChannelsWebsocketConnection(parent=AsyncIOLoopKernelManager(parent=AsyncMappingKernelManager(config=Config())),
                                          config=None).limit_rate is True  # control: Jupyter's default
    assert "--ZMQChannelsWebsocketConnection.limit_rate=False" in server_args(settings)
