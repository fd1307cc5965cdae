"""Red-flag screening as its own record (Screening), one criterion per question.

Existing answers were given to the bundled questions of the first checklist. They are carried over
as they were given: each screened assessment gets an intake Screening holding its answers (keys
unchanged; red_flags.toml keeps those questions as [[retired]] so they read as asked), its decision
and its history, and the triage level its answers had (a retired "yes" counts at its old level).
Nothing is re-interpreted: the next visit's re-screening asks the new questions.

Reversible while no session has been re-screened (the old schema has no place for those answers).
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

CARRIED = "Carried over from the assessment's red-flag fields"


def _triage(answers, born, on):
    from patients import red_flags  # the checklist file; retired keys keep their old levels

    result = red_flags.triage(answers, facts=red_flags.derived_facts(born=born, on=on))
    return result.level or "", result.holds_back


def screenings_from_assessments(apps, schema_editor):
    Assessment = apps.get_model("patients", "Assessment")
    Screening = apps.get_model("patients", "Screening")
    RedFlagAnswer = apps.get_model("patients", "RedFlagAnswer")
    HistoricalAssessment = apps.get_model("patients", "HistoricalAssessment")
    HistoricalScreening = apps.get_model("patients", "HistoricalScreening")
    HistoricalRedFlagAnswer = apps.get_model("patients", "HistoricalRedFlagAnswer")
    screened = (
        Assessment.objects.filter(
            Q(red_flags_screened_at__isnull=False) | Q(red_flag_answers__isnull=False)
        )
        .distinct()
        .select_related("patient")
    )
    for a in screened:
        answers = dict(RedFlagAnswer.objects.filter(assessment=a).values_list("flag", "present"))
        level, holds = _triage(answers, a.patient.date_of_birth, a.assessed_on)
        s = Screening.objects.create(
            patient_id=a.patient_id,
            assessment_id=a.pk,
            screened_on=a.assessed_on,
            screened_at=a.red_flags_screened_at or a.updated_at,
            screened_by_id=a.therapist_id,
            level=level,
            holds_back=holds,
            decision=a.red_flag_decision,
            decision_note=a.red_flag_decision_note,
            decided_by_id=a.red_flag_decided_by_id,
            decided_at=a.red_flag_decided_at,
        )
        RedFlagAnswer.objects.filter(assessment=a).update(screening=s)
        HistoricalRedFlagAnswer.objects.filter(assessment_id=a.pk).update(screening_id=s.pk)
        previous = None
        for h in HistoricalAssessment.objects.filter(id=a.pk).order_by("history_date"):
            state = (
                h.red_flags_screened_at,
                h.red_flag_decision,
                h.red_flag_decision_note,
                h.red_flag_decided_by_id,
                h.red_flag_decided_at,
            )
            if state == previous or (h.red_flags_screened_at is None and not previous):
                continue
            HistoricalScreening.objects.create(
                id=s.pk,
                patient_id=a.patient_id,
                assessment_id=a.pk,
                screened_on=a.assessed_on,
                screened_at=h.red_flags_screened_at or s.screened_at,
                screened_by_id=a.therapist_id,
                carried_yes=[],
                level=level,
                holds_back=holds,
                decision=h.red_flag_decision,
                decision_note=h.red_flag_decision_note,
                decided_by_id=h.red_flag_decided_by_id,
                decided_at=h.red_flag_decided_at,
                version=1,
                history_date=h.history_date,
                history_user_id=h.history_user_id,
                history_type="+" if previous is None else "~",
                history_change_reason=CARRIED,
            )
            previous = state


def assessments_from_screenings(apps, schema_editor):
    Screening = apps.get_model("patients", "Screening")
    RedFlagAnswer = apps.get_model("patients", "RedFlagAnswer")
    if Screening.objects.filter(session__isnull=False).exists():
        raise RuntimeError(
            "Can't go back: sessions have been re-screened and the old schema has no place for "
            "their answers. Restore a backup taken before this migration instead."
        )
    for s in Screening.objects.filter(assessment__isnull=False):
        Assessment = apps.get_model("patients", "Assessment")
        Assessment.objects.filter(pk=s.assessment_id).update(
            red_flags_screened_at=s.screened_at,
            red_flag_decision=s.decision,
            red_flag_decision_note=s.decision_note,
            red_flag_decided_by_id=s.decided_by_id,
            red_flag_decided_at=s.decided_at,
        )
        RedFlagAnswer.objects.filter(screening=s).update(assessment_id=s.assessment_id)



class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0006_user_history'),
    ]

    operations = [
        migrations.AlterField(
            model_name='redflaganswer',
            name='assessment',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='red_flag_answers', to='patients.assessment'),
        ),
        migrations.RemoveConstraint(
            model_name='redflaganswer',
            name='red_flag_answer_once',
        ),
        migrations.CreateModel(
            name='CrossCheckResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=40)),
                ('response', models.CharField(choices=[('acknowledged', 'Acknowledged: not a concern, and why'), ('acted', 'Acted: asked again, examined or referred')], max_length=12)),
                ('note', models.TextField(max_length=1000)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalCrossCheckResponse',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('key', models.CharField(max_length=40)),
                ('response', models.CharField(choices=[('acknowledged', 'Acknowledged: not a concern, and why'), ('acted', 'Acted: asked again, examined or referred')], max_length=12)),
                ('note', models.TextField(max_length=1000)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical cross check response',
                'verbose_name_plural': 'historical cross check responses',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalScreening',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('screened_on', models.DateField(help_text="The visit's date; ages are worked out on it.")),
                ('screened_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('carried_yes', models.JSONField(blank=True, default=list, help_text="Questions answered yes at earlier screenings, read with a session's answers.")),
                ('level', models.CharField(blank=True, max_length=10)),
                ('holds_back', models.BooleanField(default=False)),
                ('decision', models.CharField(blank=True, choices=[('referred_out', 'Referred out for medical assessment'), ('cleared', 'Cleared after review')], max_length=15)),
                ('decision_note', models.TextField(blank=True, max_length=2000)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical screening',
                'verbose_name_plural': 'historical screenings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Screening',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('screened_on', models.DateField(help_text="The visit's date; ages are worked out on it.")),
                ('screened_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('carried_yes', models.JSONField(blank=True, default=list, help_text="Questions answered yes at earlier screenings, read with a session's answers.")),
                ('level', models.CharField(blank=True, max_length=10)),
                ('holds_back', models.BooleanField(default=False)),
                ('decision', models.CharField(blank=True, choices=[('referred_out', 'Referred out for medical assessment'), ('cleared', 'Cleared after review')], max_length=15)),
                ('decision_note', models.TextField(blank=True, max_length=2000)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
            ],
            options={
                'ordering': ['screened_on', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='historicalmeasures',
            name='neuro_check',
            field=models.CharField(blank=True, choices=[('', 'Not done'), ('normal', 'Normal'), ('abnormal', 'Abnormal')], help_text='Sensation, power and reflexes in the painful limb or region.', max_length=8, verbose_name='Neurological check'),
        ),
        migrations.AddField(
            model_name='historicalmeasures',
            name='neuro_check_note',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='measures',
            name='neuro_check',
            field=models.CharField(blank=True, choices=[('', 'Not done'), ('normal', 'Normal'), ('abnormal', 'Abnormal')], help_text='Sensation, power and reflexes in the painful limb or region.', max_length=8, verbose_name='Neurological check'),
        ),
        migrations.AddField(
            model_name='measures',
            name='neuro_check_note',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='crosscheckresponse',
            name='assessment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cross_check_responses', to='patients.assessment'),
        ),
        migrations.AddField(
            model_name='crosscheckresponse',
            name='by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalcrosscheckresponse',
            name='assessment',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.assessment'),
        ),
        migrations.AddField(
            model_name='historicalcrosscheckresponse',
            name='by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalcrosscheckresponse',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalscreening',
            name='assessment',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.assessment'),
        ),
        migrations.AddField(
            model_name='historicalscreening',
            name='decided_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalscreening',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalscreening',
            name='patient',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.patient'),
        ),
        migrations.AddField(
            model_name='historicalscreening',
            name='screened_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalscreening',
            name='session',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.treatmentsession'),
        ),
        migrations.AddField(
            model_name='screening',
            name='assessment',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='screening', to='patients.assessment'),
        ),
        migrations.AddField(
            model_name='screening',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='screening',
            name='patient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='screenings', to='patients.patient'),
        ),
        migrations.AddField(
            model_name='screening',
            name='screened_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='screening',
            name='session',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='screening', to='patients.treatmentsession'),
        ),
        migrations.AddField(
            model_name='historicalredflaganswer',
            name='screening',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.screening'),
        ),
        migrations.AddField(
            model_name='redflaganswer',
            name='screening',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='patients.screening'),
        ),
        migrations.AddConstraint(
            model_name='crosscheckresponse',
            constraint=models.UniqueConstraint(fields=('assessment', 'key'), name='cross_check_once'),
        ),
        migrations.AddIndex(
            model_name='screening',
            index=models.Index(fields=['patient', 'holds_back', 'decision'], name='patients_sc_patient_544cc2_idx'),
        ),
        migrations.AddConstraint(
            model_name='screening',
            constraint=models.CheckConstraint(condition=models.Q(('assessment__isnull', True), ('session__isnull', True), _connector='XOR'), name='screening_of_an_assessment_or_a_session'),
        ),
        migrations.AddConstraint(
            model_name='screening',
            constraint=models.CheckConstraint(condition=models.Q(('decision', ''), models.Q(models.Q(('decision_note', ''), _negated=True), ('decided_by__isnull', False)), _connector='OR'), name='screening_decision_has_note_and_author'),
        ),
        migrations.RunPython(screenings_from_assessments, assessments_from_screenings),
        migrations.AlterField(
            model_name='redflaganswer',
            name='screening',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='patients.screening'),
        ),
        migrations.RemoveConstraint(
            model_name='assessment',
            name='assessment_decision_has_note_and_author',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='red_flag_decided_at',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='red_flag_decided_by',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='red_flag_decision',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='red_flag_decision_note',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='red_flags_screened_at',
        ),
        migrations.RemoveField(
            model_name='historicalassessment',
            name='red_flag_decided_at',
        ),
        migrations.RemoveField(
            model_name='historicalassessment',
            name='red_flag_decided_by',
        ),
        migrations.RemoveField(
            model_name='historicalassessment',
            name='red_flag_decision',
        ),
        migrations.RemoveField(
            model_name='historicalassessment',
            name='red_flag_decision_note',
        ),
        migrations.RemoveField(
            model_name='historicalassessment',
            name='red_flags_screened_at',
        ),
        migrations.RemoveField(
            model_name='historicalredflaganswer',
            name='assessment',
        ),
        migrations.RemoveField(
            model_name='redflaganswer',
            name='assessment',
        ),
        migrations.AddConstraint(
            model_name='redflaganswer',
            constraint=models.UniqueConstraint(fields=('screening', 'flag'), name='red_flag_answer_once'),
        ),
    ]
