"""`envgen explain`: views (what each tool gets), audit (probes), report (JSON) and text."""
