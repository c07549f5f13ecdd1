"""`make serve` starts without warnings of its own: no traitlets deprecation (lists and dicts given one
option per item) and no "Notebook … is not trusted" per page request (the server signs its pages)."""
from __future__ import annotations

import logging
import warnings

import nbformat


def test_voila_command_passes_no_json_list_or_dict(tmp_path):
    from servers import bare_notebooks, server_settings
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration

    from workbook.serving.kernels import WorkbookKernelManager
    from workbook.serving.serve import voila_command

    settings = server_settings(tmp_path, {"WORKBOOK_NOTEBOOKS_DIR": str(bare_notebooks(tmp_path / "nb")),
                                          "WORKBOOK_POOLS": "bare.ipynb=2"})
    args = voila_command(settings, 9999)[3:]
    assert not [a for a in args if a.partition("=")[2][:1] in ("[", "{")], args
    app = Voila()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        app.parse_command_line(args)  # as Voila reads its command line
    voila = VoilaConfiguration(parent=app)
    assert voila.file_denylist == [".*"]  # Voila serves no file of the notebooks' folder
    assert voila.http_header_envs == ["X-Workbook-Client", "X-Workbook-Session"]
    assert app.config.Voila.config_file_paths[0] == str(tmp_path)
    sizes = app.config.WorkbookKernelManager.pool_sizes.get_value(WorkbookKernelManager.class_traits()["pool_sizes"])
    assert sizes == {"default": settings.pool_size, "bare.ipynb": 2}


def test_served_pages_are_signed_in_memory(tmp_path, caplog):
    from jupyter_server.services.contents.largefilemanager import LargeFileManager

    from workbook.serving.trust import trust_pages

    root = tmp_path / "nb"
    root.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import ipywidgets")]), root / "page.ipynb")
    manager = LargeFileManager(root_dir=str(root))
    manager.notary.store  # noqa: B018  (the default store, replaced below)
    with caplog.at_level(logging.WARNING):
        manager.log = logging.getLogger("contents")
        manager.get("page.ipynb")
    assert "is not trusted" in caplog.text  # unsigned: Jupyter warns on every read
    caplog.clear()
    assert trust_pages(manager, root) == 1
    with caplog.at_level(logging.WARNING):
        manager.get("page.ipynb")
    assert "is not trusted" not in caplog.text
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    assert not manager.notary.check_signature(other)  # only the served pages became trusted
