"""A trainee saving answers in a loop, for the fault tests (run as its own process, then killed).

Usage: python fault_writer.py DB_URL ACCESS_CODE TAG ACK_FILE
Each answer is acknowledged (one line ``item\\tvalue`` appended to ACK_FILE) only after the store
committed it, as a page would tell its trainee "saved". While the store is down it retries the
same answer, like ``AnswerSaver``.
"""
from __future__ import annotations

import os
import sys
import time

from workbook.errors import StoreUnavailable
from workbook.store import AccessCodeAuthenticator, Database, save_answer


def main(url: str, code: str, tag: str, ack_path: str) -> None:
    while True:
        try:
            db = Database(url, create=False)
            me = AccessCodeAuthenticator(db).authenticate(code, source=f"writer-{tag}")
            break
        except StoreUnavailable:
            time.sleep(0.1)
    ack = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    k = 0
    while True:
        item, value = f"{tag}-{k}", f"answer {k} of writer {tag} · ünïcode ✓"
        try:
            save_answer(db, me, me.person_id, "m01", "fault", item, value)
        except StoreUnavailable:
            time.sleep(0.05)
            continue
        os.write(ack, f"{item}\t{value}\n".encode())  # one write: a line is whole or absent
        k += 1


if __name__ == "__main__":
    main(*sys.argv[1:5])
