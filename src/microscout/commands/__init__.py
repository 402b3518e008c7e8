"""CLI commands by subject; each module adds its commands to the one app in
commands.shared, which microscout.cli runs."""

import os

# Building the settings class makes pydantic scan every installed package's entry points for
# plugins: a tenth of `microscout info`'s start-up, for plugins the CLI never uses. A user's own
# PYDANTIC_DISABLE_PLUGINS stands.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
