"""Pydantic models of policy v1 and its value types; `validate` maps errors to positions."""
