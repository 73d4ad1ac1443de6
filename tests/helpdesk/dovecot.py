"""A throwaway Dovecot IMAP server for the intake tests and the intake benchmark: configured in a temporary
directory, listening on a free port of 127.0.0.1, plain-text login, Maildir mailboxes. Debian's dovecot-imapd
(installed by `make system-deps`). As root, its login process runs as the `mail` user (it refuses root); as
anyone else, as that user.

    with Dovecot(users={"help@cluster.test": "secret"}) as server:
        server.append("help@cluster.test", raw_bytes)
        ... Queue(imap_host=server.host, imap_port=server.port, imap_ssl=False, ...)
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"


def available() -> bool:
    return Path(DOVECOT).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    host = "127.0.0.1"

    def __init__(self, users: dict[str, str]):
        self.users = dict(users)
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="greenbridge-imap-"))
        self.config = self.dir / "dovecot.conf"

    def __enter__(self) -> Dovecot:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        if os.getuid() == 0:
            account = pwd.getpwnam("mail")
            extra = ""
        else:
            account = pwd.getpwuid(os.getuid())
            extra = (
                f"default_login_user = {account.pw_name}\ndefault_internal_user = {account.pw_name}\n"
                f"default_internal_group = {account.pw_name}\n"
            )
        uid, gid = account.pw_uid, account.pw_gid
        mail = self.dir / "mail"
        mail.mkdir()
        (self.dir / "passwd").write_text(
            "".join(f"{user}:{{PLAIN}}{password}:{uid}:{gid}::{mail}/{user}\n" for user, password in self.users.items())
        )
        self.config.write_text(
            f"""protocols = imap
listen = 127.0.0.1
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = {min(uid, 8)}
mail_location = maildir:~/Maildir
{extra}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.dir}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
        )
        self.dir.chmod(0o755)
        os.chown(mail, uid, gid)
        subprocess.run(
            [DOVECOT, "-c", str(self.config)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    log = (self.dir / "dovecot.log").read_text() if (self.dir / "dovecot.log").exists() else ""
                    raise RuntimeError(f"Dovecot did not start on port {self.port}: {log[-2000:]}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        subprocess.run(
            [DOVEADM, "-c", str(self.config), "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, user: str) -> imaplib.IMAP4:
        imap = imaplib.IMAP4(self.host, self.port)
        imap.login(user, self.users[user])
        return imap

    def append(self, user: str, *messages: bytes, folder: str = "INBOX") -> None:
        """Deliver messages into a mailbox, as a mail server would (unread)."""
        imap = self.client(user)
        try:
            for raw in messages:
                status, _ = imap.append(folder, "", None, raw)
                assert status == "OK", status
        finally:
            imap.logout()

    def flags(self, user: str, folder: str = "INBOX") -> list[set[str]]:
        """Each message's flags, in order."""
        imap = self.client(user)
        try:
            imap.select(folder)
            _, data = imap.fetch("1:*", "(FLAGS)")
            found = []
            for line in data:
                if not line:
                    continue
                text = line.decode()
                inner = text[text.index("FLAGS (") + 7 :]
                found.append(set(inner[: inner.index(")")].split()))
            return found
        finally:
            imap.logout()

    def empty(self, user: str, folder: str = "INBOX") -> None:
        imap = self.client(user)
        try:
            _, count = imap.select(folder)
            if int(count[0]):
                imap.store("1:*", "+FLAGS", "\\Deleted")
                imap.expunge()
        finally:
            imap.logout()
