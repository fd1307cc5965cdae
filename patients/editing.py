"""The one edit-conflict message. Every record a user changes carries a version (services
claim it with `claim_version`); a save over a newer one is refused with one of these, naming the
record. `stale_form` when the typed values come back in the form, `stale_action` when a button
(sign, remove, archive, move, issue, decide) did nothing."""


def stale_form(what: str) -> str:
    return (
        f"Someone else saved this {what} after you opened it, so your changes were not saved. "
        "They are still below: open it again in a new tab, compare, and re-apply what is still "
        "needed."
    )


def stale_action(what: str, action: str = "done") -> str:
    return (
        f"Someone else saved this {what} after you opened it, so it was not {action}. "
        "Look at it as it is now, then try again."
    )
