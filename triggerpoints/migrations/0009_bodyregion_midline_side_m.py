"""One Side enum (issue 16): a midline body region's side was "" and is now "m", as in the
patient records (where "" means the side was not given). BodyRegion has no history table, and
the records already store "m", so only the region rows change."""

from django.db import migrations, models


def midline_to_m(apps, schema_editor):
    apps.get_model("triggerpoints", "BodyRegion").objects.filter(side="").update(side="m")


def midline_to_blank(apps, schema_editor):
    apps.get_model("triggerpoints", "BodyRegion").objects.filter(side="m").update(side="")


class Migration(migrations.Migration):
    dependencies = [
        ("triggerpoints", "0008_catalogue_vocabulary_validators"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="bodyregion", name="region_side_valid"),
        migrations.RunPython(midline_to_m, midline_to_blank),
        migrations.AlterField(
            model_name="bodyregion",
            name="side",
            field=models.CharField(
                choices=[("l", "Left"), ("r", "Right"), ("m", "Midline")], max_length=1
            ),
        ),
        migrations.AddConstraint(
            model_name="bodyregion",
            constraint=models.CheckConstraint(
                condition=models.Q(("side__in", ["l", "r", "m"])), name="region_side_valid"
            ),
        ),
    ]
