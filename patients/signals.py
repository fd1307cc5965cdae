from django.utils import timezone


def last_login_without_history(sender: type, user: object, **kwargs: object) -> None:
    """Record the login time without saving the user (so no history row for a login)."""
    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now())
    user.last_login = timezone.now()
