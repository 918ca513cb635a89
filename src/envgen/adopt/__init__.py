"""`envgen init`: adopt an existing repository without changing what its tools do.

`detect` finds the repository's ecosystems and the targets they need; `existing` reads the
hand-written configuration files (.npmrc, pip.conf, a GOENV file, daemon.json, the proxy
variables of .gitlab-ci.yml) into policy values, turning credentials into ${NAME} references
and listing what a policy cannot express; `starter` writes the policy text. Pure functions over
file contents: the command reads the files and writes the one policy file.
"""
