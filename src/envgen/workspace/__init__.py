"""The only package that touches target files: paths, manifest, writing and drift.

It sees bytes and paths only (no policy model, loader, tools or generators), and stays free of
the policy model and the YAML parser so that `envgen check` can answer quickly.
"""
