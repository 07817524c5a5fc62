"""`sitectl`: write to the site from a terminal, through its token API (see `cli.py`)."""
