"""The themes that ship with Coproduce (folders with theme.toml; not Python code)."""
