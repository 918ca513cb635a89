"""What envgen gives each tool, one module per tool (`ToolSettings`, see `envgen.tools.base`).

Every consumer reads these: the file generators format them into bytes, `envgen env` and the
CI targets export their variables, `envgen explain` models the tools with them and reports
them, and `validate` warns from the same objects.
"""
