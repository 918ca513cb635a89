"""Value encoders and writers per format: npmrc/ini/goenv/systemd/JSON, shells, YAML, Jinja."""
