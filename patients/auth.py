from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class ClinicUserBackend(ModelBackend):
    """The standard backend, loading the user's clinic with the user: every page shows it and
    scopes data by it, so it should not cost a query of its own."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("clinic").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
