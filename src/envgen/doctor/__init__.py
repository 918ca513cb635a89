"""`envgen doctor`: what the installed tools really do with the settings envgen renders.

Each tool found on PATH (curl, git, wget, pip, python-requests, npm, node, go) runs once per URL
inside a private user + network + mount namespace (`sandbox.py`), where the policy's hosts
resolve to the loopback through a private hosts file, a recording proxy and a recording origin
listen (`recorder.py`), and no packet or name lookup can leave the machine (the namespace has
no interface but its own loopback). The route each tool took is compared with the policy and
with `envgen explain`'s prediction (`report.py`); `command.py` puts it together.
"""
