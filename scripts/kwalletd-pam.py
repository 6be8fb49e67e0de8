#!/usr/bin/env python3
"""kwalletd-pam.py - start kwalletd5 the way pam_kwallet5 does at login, so
that it creates (if need be) and opens a wallet without any dialog; then
this process becomes kwalletd5 (exec), so its pid is kwalletd5's.

Usage: kwalletd-pam.py WALLET   (password in $KWALLET_PAM_PASSWORD, which is
       removed before the exec; XDG_DATA_HOME and XDG_RUNTIME_DIR set)

What pam_kwallet5 (plasma/kwallet-pam, pam_kwallet.c) hands kwalletd5, read
by kwalletd5's main.cpp (KF 5.103):
- PAM_KWALLET5_LOGIN set in the environment, and the arguments
  --pam-login PIPEFD SOCKETFD;
- on the pipe, the 56-byte PBKDF2-SHA512 hash of the password, salted with
  the 56 bytes of $XDG_DATA_HOME/kwalletd/WALLET.salt, 50,000 rounds (the
  salt file must exist first, or a later password dialog derives another
  key);
- a LISTENING unix socket, from which kwalletd5 accept()s one connection and
  reads NAME=value lines until EOF (before its QApplication exists). A
  connection queued on the listener before the exec keeps its data, so both
  are written here and nothing waits on kwalletd5.
"""
import hashlib
import os
import socket
import sys

wallet = sys.argv[1]
run = os.environ["XDG_RUNTIME_DIR"]
salt_path = os.path.join(os.environ["XDG_DATA_HOME"], "kwalletd", wallet + ".salt")
if not os.path.exists(salt_path) or os.path.getsize(salt_path) == 0:
    fd = os.open(salt_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, os.urandom(56))
    os.close(fd)
with open(salt_path, "rb") as f:
    salt = f.read()
password = os.environ.pop("KWALLET_PAM_PASSWORD").encode()
r, w = os.pipe()
os.write(w, hashlib.pbkdf2_hmac("sha512", password, salt, 50000, 56))
os.close(w)
path = os.path.join(run, "kwallet5.socket")
if os.path.exists(path):
    os.unlink(path)
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(path)
listener.listen(1)
client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
client.connect(path)
client.close()  # no NAME=value lines: kwalletd5 inherits our environment
os.unlink(path)
os.set_inheritable(r, True)
listener.set_inheritable(True)
os.execvpe("kwalletd5", ["kwalletd5", "--pam-login", str(r), str(listener.fileno())],
           dict(os.environ, PAM_KWALLET5_LOGIN="1"))
