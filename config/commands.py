"""What every import command shares: one progress line that rewrites itself."""


def progress_line(command, verbosity: int):
    if not verbosity:
        return lambda _message: None

    def write(message: str) -> None:
        if message == "\n":
            command.stdout.write("")
        else:
            command.stdout.write(f"\r{message}", ending="")
            command.stdout.flush()

    return write
