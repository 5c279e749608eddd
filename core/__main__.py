"""python -m core: the same as the `coproduce` command."""

from coproduce.cli import main

main()
