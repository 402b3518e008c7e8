"""CLI commands by subject; each module adds its commands to microscout.cli.app."""
