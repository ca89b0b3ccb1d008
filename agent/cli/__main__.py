"""`python -m agent.cli`: the same as the `socialplan` command."""

from agent.cli.entry import main

main()
