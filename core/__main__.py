"""python -m core: the same as the `coproduce` command."""
from core.cli import main

main()
