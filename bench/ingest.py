"""End-to-end ingestion: ``smista poll --once`` against a local Dovecot holding N realistic
messages (fetched, parsed, classified, committed, flagged), with a naive baseline in the same
run that fetches one message per round trip with imaplib and does nothing else.

    python bench/ingest.py [--n 2000] [--letters]

``--letters`` polls a second folder where one message in five carries a PDF letter (from
the letter writers' corpus, rendered as a real file) beside the run without attachments,
and times OCR apart, in pages per second.

Needs Dovecot (Debian's dovecot-imapd) and a trained model in models/.
"""

from __future__ import annotations

import argparse
import email.policy
import imaplib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from _memory import run_measured, run_measured_tree
from _shared import PROJECT, load_corpus
from imapclient import IMAPClient
from tests.servers.dovecot import PASSWORD, Dovecot, free_port
from training.samples import pec_envelope, plain_message

SMISTA = shutil.which("smista", path=str(Path(sys.executable).parent)) or "smista"


def crlf(raw: bytes) -> bytes:
    """Line ends as IMAP carries them: CRLF, whatever the generator wrote."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def messages(n: int) -> list[bytes]:
    train, gold = load_corpus()
    pool = [r for r in train if r["source"] == "handwritten"] + gold + train[:2000]
    start = datetime(2026, 11, 1, 8, tzinfo=timezone(timedelta(hours=1)))
    out = []
    for i in range(n):
        record = pool[i % len(pool)]
        when = start + timedelta(minutes=i)
        msg = pec_envelope(record, when, i) if record["channel"] == "pec" else plain_message(record, when, i)
        # SMTPUTF8 writes CRLF already (and keeps an IDN sender in UTF-8): normalised, never doubled
        # into CR CR LF, which leaves a parser one header and the rest as body.
        out.append(crlf(msg.as_bytes(policy=email.policy.SMTPUTF8)))
    return out


def with_letters(batch: list[bytes]) -> list[bytes]:
    """``batch`` with every fifth message replaced by a cover note carrying a text PDF letter."""
    from training import letters
    from training.corpus import load
    pool = [r for r in load([PROJECT / "data/corpus/letters_train.jsonl"]) if r["attachment"]["document"].get("method") == "text"]
    signer = letters.Signer()
    out = list(batch)
    for n, i in enumerate(range(4, len(out), 5)):
        record = pool[n % len(pool)]
        name = record["attachment"]["filename"]
        if not name.lower().endswith((".pdf", ".pdf.p7m")):
            record = {**record, "attachment": {**record["attachment"], "filename": "lettera.pdf"}}
        out[i] = crlf(letters.message({**record, "id": f"{record['id']}-{i}"}, signer))
    return out


def ocr_speed(pages: int = 12) -> str:
    """Scanned letters read by the attachment reader: pages per second."""
    from inbox.reading import DocumentReader
    from training import letters
    from training.corpus import load
    pool = [r for r in load([PROJECT / "data/corpus/letters_train.jsonl"]) if r["attachment"]["document"].get("method") == "ocr"]
    files = [letters.scan_pdf(r["attachment"]["text"], i) for i, r in enumerate(pool[:pages])]
    reader = DocumentReader()
    try:
        reader([("warm.txt", "text/plain", b"avvio del processo di lettura", 29)])
        started = time.perf_counter()
        read = [reader([(f"scan_{i}.pdf", "application/pdf", f, len(f))])[0] for i, f in enumerate(files)]
        seconds = time.perf_counter() - started
    finally:
        reader.close()
    done = sum(d.get("pages", 0) for d in read if d["status"] == "read")
    failed = [d.get("reason", "") for d in read if d["status"] != "read"]
    return (f"OCR (tesseract ita, 200 dpi, one worker): {done} pages of {len(files)} scans in {seconds:.1f} s, "
            f"{done / seconds:.2f} pages/s" + (f"; not read: {failed}" if failed else ""))


def poll(env: dict[str, str], root: Path, port: int, folder: str, name: str) -> tuple[float, float, float, str]:
    """``smista poll --once`` on ``folder`` into a fresh store: seconds, peak RSS of the poller and
    of the attachment reader it started (MB), its last line."""
    env = {**env, "SMISTA_DATABASE_URL": f"sqlite:///{root / (name + '.db')}",
           "SMISTA_MAILBOXES": json.dumps([{"name": name, "url": f"imap://contact@127.0.0.1:{port}/{folder}",
                                            "password_env": "BENCH_PW", "batch_size": 200}])}
    started = time.perf_counter()
    proc, rss, reader = run_measured_tree([SMISTA, "poll", "--once"], env=env)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return time.perf_counter() - started, rss, reader, proc.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--hostile", action="store_true", help="also run the hostile corpus (tests/data/hostile; the stored "
                        "suites when HOSTILE_MAIL_DIR names them): per-message time and peak RSS")
    parser.add_argument("--profile", action="store_true", help="also run the poll under cProfile and print the split by stage")
    parser.add_argument("--profile-out", type=Path, help="keep the cProfile dump of --profile there")
    parser.add_argument("--letters", action="store_true", help="also poll a mix where one message in five has a PDF letter, "
                        "and time OCR apart")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="smista-bench-"))
    root.chmod(0o755)  # Dovecot's unprivileged processes must reach it
    server = Dovecot(root / "dovecot", free_port())
    server.root.mkdir(parents=True)
    server.write_config()
    server.start()
    try:
        client = IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=30)
        client.login("contact", PASSWORD)
        batch = messages(args.n)
        started = time.perf_counter()
        for raw in batch:
            client.append("INBOX", raw)
        print(f"appended {len(batch)} messages ({sum(map(len, batch)) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
        if args.letters:
            client.create_folder("Letters")
            for raw in with_letters(batch):
                client.append("Letters", raw)
        client.logout()

        env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
        env.update(SMISTA_DATABASE_URL=f"sqlite:///{root / 'smista.db'}", SMISTA_PROJECT_DIR=str(PROJECT), BENCH_PW=PASSWORD,
                   SMISTA_MAILBOXES=json.dumps([{"name": "bench", "url": f"imap://contact@127.0.0.1:{server.port}/INBOX",
                                                 "password_env": "BENCH_PW", "batch_size": 200}]))
        started = time.perf_counter()
        proc, rss = run_measured([SMISTA, "poll", "--once"], env=env)
        smista_s = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        if args.profile:  # the same mail again, from a fresh store, under the profiler
            client = IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=30)
            client.login("contact", PASSWORD)
            client.select_folder("INBOX")
            client.remove_flags(client.search(), [b"$Smistato"])
            client.logout()
            dump = root / "poll.prof"
            profiled_env = {**env, "SMISTA_DATABASE_URL": f"sqlite:///{root / 'profiled.db'}"}
            subprocess.run([sys.executable, "-m", "cProfile", "-o", str(dump), SMISTA, "poll", "--once"], env=profiled_env,
                           capture_output=True, text=True, check=True)
            from _profile import table
            profile = table(str(dump), args.n)
            if args.profile_out:
                shutil.copy(dump, args.profile_out)

        if args.letters:
            mixed = poll(env, root, server.port, "Letters", "letters")
            plain = poll(env, root, server.port, "INBOX", "plain")  # again, next to it: the machine is shared
        imap = imaplib.IMAP4("127.0.0.1", server.port)
        imap.login("contact", PASSWORD)
        imap.select("INBOX", readonly=True)
        uids = imap.uid("SEARCH", None, "ALL")[1][0].split()
        started = time.perf_counter()
        for uid in uids:
            imap.uid("FETCH", uid, "(BODY.PEEK[])")
        naive_s = time.perf_counter() - started
        imap.logout()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(proc.stderr.strip().splitlines()[-1])
    print(f"smista poll --once, end to end (start-up and model load included): {args.n / smista_s:.0f} msg/s "
          f"({smista_s:.1f} s), peak RSS {rss:.0f} MB")
    print(f"naive imaplib, one message per round trip, fetch only: {len(uids) / naive_s:.0f} msg/s ({naive_s:.1f} s)")
    print(f"smista / naive: {naive_s / smista_s * args.n / len(uids):.2f}x")
    if args.letters:
        print(f"\nwithout attachments (again, next to the mix): {args.n / plain[0]:.0f} msg/s, peak RSS {plain[1]:.0f} MB")
        print(f"one in five with a PDF letter read and classified: {args.n / mixed[0]:.0f} msg/s, peak RSS {mixed[1]:.0f} MB "
              f"and {mixed[2]:.0f} MB in the attachment reader (ratio {plain[0] / mixed[0]:.2f}x); {mixed[3]}")
        print(ocr_speed())
    if args.hostile:
        print()
        subprocess.run([sys.executable, str(Path(__file__).with_name("_hostile_run.py")), str(PROJECT / "models")],
                       check=True, cwd=PROJECT, env={**os.environ, "PYTHONPATH": str(PROJECT)})
    if args.profile:
        print(f"\nwhere the time of smista poll --once goes (cProfile, {args.n} messages; the profiler slows Python code):")
        print(profile)


if __name__ == "__main__":
    main()
