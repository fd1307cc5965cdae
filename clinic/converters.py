"""URL converters. `<id:pk>` is a database id: at most 18 digits, so an id beyond a 64-bit
integer is a plain 404 on every database (SQLite would raise OverflowError, a 500)."""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
