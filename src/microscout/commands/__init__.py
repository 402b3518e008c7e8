"""CLI commands by subject; each module adds its commands to the one app in
commands.shared, which microscout.cli runs."""
