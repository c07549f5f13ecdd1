"""What one widget message costs a page kernel: ipykernel's app against the page kernel's, in one run.

    .venv/bin/python benchmarks/kernel_messages.py [--messages 400] [--rounds 4]

Each round starts two real kernels in turn (Jupyter's ``KernelManager``, IPC sockets, a kernel spec each): one as
ipykernel starts it (``-m ipykernel_launcher``), one as the fork server runs a page kernel
(``-m workbook.serving.page_kernel``: ``PageKernelApp``, streams that skip a flush with nothing to send, no log record
its handler drops). Both without IPython's input history, as forked kernels. Each kernel holds a slider with an
observer; the client sends it ``--messages`` value updates as a page does (``comm_msg``), each waited for until the
kernel is idle again.
Printed per round and as medians: the kernel process's CPU per message (all its threads: main, shell channel,
IOPub, ZeroMQ's I/O) and the round trip, and the ratio page kernel / ipykernel's. The kernels are started
alternately so that a change of the machine's load touches both.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

import psutil
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from tqdm import tqdm

KINDS = {"ipykernel's app": "ipykernel_launcher", "page kernel": "workbook.serving.page_kernel"}
SETUP = ("import sys, ipywidgets as w\n"
         "s = w.IntSlider()\n"
         "s.observe(lambda change: None, 'value')\n"
         "print(s.model_id, type(sys.stdout).__name__)")


def _until_idle(client, msg_id: str) -> None:
    """Read the kernel's IOPub messages until it is idle after ``msg_id`` (what a page waits for)."""
    while True:
        msg = client.get_iopub_msg(timeout=60)
        if (msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
                and msg["parent_header"].get("msg_id") == msg_id):
            return


def _spec(folder: str, module: str) -> KernelSpecManager:
    """A kernel spec folder with one spec, ``kernel``, that runs ``python -m module``."""
    os.makedirs(os.path.join(folder, "kernels", "kernel"))
    with open(os.path.join(folder, "kernels", "kernel", "kernel.json"), "w", encoding="utf-8") as f:
        json.dump({"argv": [sys.executable, "-m", module, "-f", "{connection_file}", "--HistoryManager.enabled=False"],
                   "display_name": module, "language": "python"}, f)
    return KernelSpecManager(kernel_dirs=[os.path.join(folder, "kernels")])


def measure(module: str, messages: int) -> tuple[float, float, str]:
    """(kernel CPU ms per message, round trip ms, the kernel's stream class) for one new kernel of ``module``."""
    folder = tempfile.mkdtemp(prefix="kmsg-")  # IPC sockets, as the workbook's kernels use (short path)
    manager = KernelManager(kernel_name="kernel", kernel_spec_manager=_spec(folder, module), transport="ipc",
                            ip=os.path.join(folder, "k"))
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        printed: list[str] = []
        client.execute_interactive(SETUP, timeout=60, output_hook=lambda m: printed.append(m["content"].get("text", ""))
                                   if m["msg_type"] == "stream" else None)
        model, stream = "".join(printed).split()
        process = psutil.Process(manager.provisioner.process.pid)

        def update(value: int) -> None:
            msg = client.session.msg("comm_msg", {"comm_id": model, "data": {
                "method": "update", "state": {"value": value}, "buffer_paths": []}})
            client.shell_channel.send(msg)
            _until_idle(client, msg["header"]["msg_id"])

        for value in range(50):  # warm: first messages import and compile
            update(value)
        before, start = process.cpu_times(), time.perf_counter()
        for value in range(messages):
            update(value % 100)
        after, end = process.cpu_times(), time.perf_counter()
        cpu = (after.user - before.user) + (after.system - before.system)
        return cpu / messages * 1000, (end - start) / messages * 1000, stream
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        manager.cleanup_resources()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=400, help="widget updates per kernel")
    parser.add_argument("--rounds", type=int, default=4, help="kernels of each kind, alternated")
    args = parser.parse_args(argv)
    cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}
    trip: dict[str, list[float]] = {kind: [] for kind in KINDS}
    print(f"machine: {psutil.cpu_count()} cores, load average {psutil.getloadavg()[0]:.1f}")
    for _round in tqdm(range(args.rounds), desc="rounds", file=sys.stderr):
        for kind, module in KINDS.items():
            ms, rt, stream = measure(module, args.messages)
            cpu[kind].append(ms)
            trip[kind].append(rt)
            print(f"  {kind:20s} ({stream}): kernel CPU {ms:.2f} ms a message, round trip {rt:.2f} ms", flush=True)
    base, page = (statistics.median(cpu[kind]) for kind in KINDS)  # KINDS: ipykernel's app first
    for kind in KINDS:
        print(f"{kind:20s} median: kernel CPU {statistics.median(cpu[kind]):.2f} ms a message, "
              f"round trip {statistics.median(trip[kind]):.2f} ms")
    print(f"page kernel / ipykernel's app: kernel CPU per message {page / base:.2f}; "
          f"load average at the end {psutil.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
