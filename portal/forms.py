from django import forms
from django.utils import timezone


class YearOfBirthForm(forms.Form):
    year = forms.IntegerField(
        label="Your year of birth",
        help_text="Four digits, for example 1978.",
        error_messages={"required": "Enter your year of birth.", "invalid": "Enter a year."},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "bday-year",
                "maxlength": "4",
                "pattern": "[0-9]{4}",
                "class": "portal-input",
            }
        ),
    )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError("Enter your year of birth as four digits.")
        return year


class SendLinkForm(forms.Form):
    email = forms.EmailField(
        label="Patient's email address",
        required=False,
        max_length=254,
        help_text="Leave empty to show the link and its QR code only. The email holds the link "
        "and nothing about the plan.",
    )
