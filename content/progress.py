"""A progress bar for long commands: one self-updating line on stderr."""

import sys
import time
from typing import TextIO


class Progress:
    """done/total, percentage, rate. `say()` prints a line above the bar."""

    def __init__(self, label: str, total: int, stream: TextIO = sys.stderr) -> None:
        self.label, self.total, self.stream = label, total, stream
        self.start = time.monotonic()
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        # A log file gets the final line only, not one line per update.
        if not self.stream.isatty() and done < self.total:
            return
        elapsed = time.monotonic() - self.start
        rate = done / elapsed if elapsed else 0
        percent = 100 * done // self.total if self.total else 100
        width = 30
        bar = "#" * (width * percent // 100)
        self.stream.write(
            f"\r{self.label:<10} [{bar:<{width}}] {done:>7}/{self.total} {percent:3}% "
            f"{rate:7.0f}/s {elapsed:6.1f}s"
        )
        self.stream.flush()

    def say(self, text: str, stream: TextIO) -> None:
        """A line of output that does not tangle with the bar on a terminal."""
        if self.stream.isatty():
            self.stream.write("\r\033[K")
        stream.write(text + "\n")
        if self.stream.isatty():
            self.update(self.done)

    def finish(self) -> None:
        if self.done < self.total or self.stream.isatty():
            self.update(self.total)
        self.stream.write("\n")
