from typing import Any

from django import forms
from django.contrib.auth import password_validation

from ..models import Clinic, User

USERNAME_UNAVAILABLE = (
    "This username can't be used. Usernames are shared by every clinic on Myoplan: add "
    "something of your own, such as the clinic's initials (tess.hp)."
)


class StaffForm(forms.ModelForm):
    """A clinic admin adds a therapist or another clinic admin to their clinic."""

    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Repeat the password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role"]
        labels = {"role": "Role"}
        help_texts = {
            "role": "Clinic admins can also add, deactivate and reactivate staff.",
        }
        error_messages = {"username": {"unique": USERNAME_UNAVAILABLE}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Notes and signatures carry the name, so it is required.
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["username"].widget.attrs["autocomplete"] = "off"

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        # Usernames are unique across Myoplan, so the message must not tell one clinic whom
        # another clinic employs: the same words for any username that can't be used.
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_UNAVAILABLE)
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords don't match.")
        if password1:
            # Checked against the new user's own details (not too like the username or name).
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    @property
    def password(self) -> str:
        return self.cleaned_data["password1"]


class ClinicContactForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ["phone", "address", "email"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"phone": "The number patients call, as it should be printed."}
