from sitectl.cli import run

run()
