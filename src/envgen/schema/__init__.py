"""The model of policy v1 and its value types (envgen.schema.model); `validate` maps errors to
positions."""
