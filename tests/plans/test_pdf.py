"""The plan PDF: what the patient's and the clinician's copies say, read back from the PDF;
A4 with embedded fonts and a footer on every page; frozen issued versions; the download view."""

import re
from http import HTTPStatus
from io import BytesIO

import pytest
import tinyhtml5  # WeasyPrint's own HTML parser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from patients import services as services_patients
from patients.models import Patient, User
from plans import services
from plans.content import plan_content
from plans.models import Plan, PlanItem, Strand
from plans.pdf import render_plan_html, render_plan_pdf
from plans.views import pdf as pdf_views
from triggerpoints.bodymap import intensity_band
from triggerpoints.bodymap_shapes import FIGURE_VERSION, OUTLINES, SHAPES
from triggerpoints.models import TriggerPoint

from ..factories import (
    AssessmentFactory,
    PainMarkFactory,
    PalpatedTriggerPointFactory,
    PlanFactory,
    PlanItemFactory,
    screen_red_flags,
)

pytestmark = pytest.mark.django_db

ITEMS = [
    (Strand.LOCAL, "Upper trapezius: pressure release", "60–90 seconds, 2–3 times", "Once a day"),
    (Strand.LOCAL, "Upper trapezius self-stretch", "3 holds of 30 seconds", "Twice a day"),
    (Strand.POSTURAL, "Chin nods", "10 holds of 10 seconds", "Three times a day"),
    (Strand.BREATHING, "Low, slow breathing", "5 minutes", "Morning and evening"),
    (Strand.SELF_CARE, "Drink water through the day", "About 1.5 litres", "Every day"),
]
RATIONALE = "Active trigger point in the left upper trapezius reproduced the headache."
RECURRENCE = "The upper trapezius point came back at two sessions, so the global strands rise."
STOP_BOX = "When to stop, and when to seek help"


def pdf_text(data: bytes) -> str:
    """All the PDF's text, whitespace folded (lines wrap wherever the layout puts them)."""
    pages = PdfReader(BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def page_texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(data)).pages]


@pytest.fixture
def plan(patient: Patient, therapist: User) -> Plan:
    assessment = AssessmentFactory(
        patient=patient, therapist=therapist, red_flags_screened_at=timezone.now()
    )
    PainMarkFactory(assessment=assessment, region_id="lat.head.temple.l", intensity=7)
    PainMarkFactory(assessment=assessment, region_id="post.shoulder.top.l", intensity=4)
    PalpatedTriggerPointFactory(assessment=assessment)
    plan = PlanFactory(assessment=assessment, recurrence_note=RECURRENCE)
    upper_trapezius = TriggerPoint.objects.filter(muscle__name="Upper trapezius").first()
    for position, (strand, title, dosage, frequency) in enumerate(ITEMS):
        PlanItemFactory(
            plan=plan,
            strand=strand,
            position=position,
            title=title,
            dosage=dosage,
            frequency=frequency,
            rationale=f"{RATIONALE} ({position})",
            trigger_point=upper_trapezius if position == 0 else None,
            side="l" if position == 0 else "",
        )
    return Plan.objects.select_related("patient__clinic", "assessment", "created_by").get(
        pk=plan.pk
    )


def pdf_url(plan: Plan, **query: str) -> str:
    url = reverse("plans:pdf", args=[plan.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def issue(plan: Plan, by: User) -> Plan:
    services.plan_issue(plan=plan, by=by, expected_version=plan.version)
    plan.refresh_from_db()
    return plan


# --- What the PDF says ---------------------------------------------------------------------


def test_patient_copy_names_patient_every_item_dosage_and_the_review(
    therapist_client: Client, plan: Plan
) -> None:
    response = therapist_client.get(pdf_url(plan))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.getvalue())
    assert "Maria Keane" in text
    assert "Harbour Physio" in text
    assert str(plan.created_by) in text
    for _, title, dosage, frequency in ITEMS:
        assert title in text
        assert dosage in text
        assert frequency in text
    assert "7 December 2026" in text  # the review date
    assert STOP_BOX in text
    assert "See your GP (and tell us) if:" in text
    assert "sudden, severe headache" in text  # tailored: a neck point was treated


def test_patient_copy_shows_the_strands_in_order(therapist_client: Client, plan: Plan) -> None:
    text = pdf_text(therapist_client.get(pdf_url(plan)).getvalue())
    positions = [text.index(label) for label in Strand.labels]
    assert positions == sorted(positions)
    assert text.index("Upper trapezius: pressure release") < text.index("Chin nods")


def test_patient_copy_shows_pain_regions_with_intensity_and_treated_points(
    therapist_client: Client, plan: Plan
) -> None:
    text = pdf_text(therapist_client.get(pdf_url(plan)).getvalue())
    assert "Temple (patient's left) 7/10" in text
    assert "Top of shoulder (patient's left) 4/10" in text
    assert "Trigger points treated" in text


REGION_PATH = re.compile(r'<path class="body-map__region([^"]*)" d="([^"]+)" data-region="([^"]+)"')


def _drawn_regions(html: str) -> dict[str, str]:
    """Each region's code → its path data, from every body-map <svg> in the HTML."""
    return {code: d for _, d, code in REGION_PATH.findall(html)}


def test_pdf_and_web_pages_draw_the_same_figure_from_the_same_shapes(
    therapist_client: Client, plan: Plan
) -> None:
    """One drawing: the PDF's map and the pain finder's map are the same 90 shapes (from
    triggerpoints.bodymap_shapes), so a redrawn shape changes both."""
    shapes = {shape.code: shape.d for shape in SHAPES}
    pdf_html = render_plan_html(plan_content(plan))
    page_html = therapist_client.get(reverse("triggerpoints:pain_finder")).content.decode()
    for html in (pdf_html, page_html):
        assert _drawn_regions(html) == shapes
        assert html.count(f'data-figure="{FIGURE_VERSION}"') == 2  # front and back
        for outline in OUTLINES.values():
            assert f'd="{outline}"' in html
    # The patient's pain is shaded by band and the treated point numbered, in the shared classes.
    shaded = {code: classes for classes, _, code in REGION_PATH.findall(pdf_html) if classes}
    assert shaded == {
        "lat.head.temple.l": " is-marked pain-high",
        "post.shoulder.top.l": " is-marked pain-mid",
    }
    assert '<text class="body-map__marker-number" y="4">1</text>' in pdf_html


def test_the_maps_print_colours_reach_weasyprint_whole(plan: Plan) -> None:
    """The print colours sit in a <style> inside each view's <svg>, where HTML parsing treats
    the text as markup: parsed as WeasyPrint parses it, each is plain CSS with no element in
    it (a stray "<svg>" in a comment once drew the whole map black)."""
    document = tinyhtml5.parse(render_plan_html(plan_content(plan)))
    styles = document.findall(".//{http://www.w3.org/2000/svg}style")
    assert len(styles) == 2
    for style in styles:
        assert len(style) == 0
        assert ".body-map__region.pain-high { fill: #a11d15;" in style.text


def test_patient_copy_leaves_out_findings_and_rationale(
    therapist_client: Client, plan: Plan
) -> None:
    text = pdf_text(therapist_client.get(pdf_url(plan)).getvalue())
    assert RATIONALE not in text
    assert RECURRENCE not in text
    assert "Findings" not in text
    assert plan.assessment.chief_complaint not in text


def test_clinician_copy_adds_findings_rationale_and_recurrence_note(
    therapist_client: Client, plan: Plan
) -> None:
    text = pdf_text(therapist_client.get(pdf_url(plan, variant="clinician")).getvalue())
    assert "clinician copy" in text
    for position in range(len(ITEMS)):
        assert f"{RATIONALE} ({position})" in text
    assert "Findings" in text
    assert f"Complaint: {plan.assessment.chief_complaint}" in text
    assert "Active trigger point: Upper trapezius" in text
    assert RECURRENCE in text
    for _, title, dosage, _ in ITEMS:
        assert title in text
        assert dosage in text


def test_therapists_note_is_on_the_patient_copy(therapist_client: Client, plan: Plan) -> None:
    PlanItem.objects.filter(plan=plan, title="Chin nods").update(notes="Keep your jaw relaxed.")
    text = pdf_text(therapist_client.get(pdf_url(plan)).getvalue())
    assert "Note from your therapist: Keep your jaw relaxed." in text


def test_draft_is_marked_draft(therapist_client: Client, plan: Plan) -> None:
    response = therapist_client.get(pdf_url(plan))
    text = pdf_text(response.getvalue())
    assert "DRAFT" in text
    assert "Version 1" in text
    assert response["Content-Disposition"] == 'attachment; filename="plan-keane-v1.pdf"'


def test_issued_plan_downloads_its_issued_version_unmarked(
    therapist_client: Client, plan: Plan, therapist: User
) -> None:
    issue(plan, therapist)
    response = therapist_client.get(pdf_url(plan))
    text = pdf_text(response.getvalue())
    assert "Version 1" in text
    assert "DRAFT" not in text
    assert response["Content-Disposition"] == 'attachment; filename="plan-keane-v1.pdf"'


def test_issued_version_does_not_change_after_the_plan_is_edited(
    therapist_client: Client, plan: Plan, therapist: User
) -> None:
    issue(plan, therapist)
    before = pdf_text(therapist_client.get(pdf_url(plan, version="1")).getvalue())
    item = PlanItem.objects.select_related("plan").get(plan=plan, title="Chin nods")
    services.plan_item_update(
        item=item,
        data={"title": "Chin tucks against the wall", "dosage": "8 holds of 5 seconds"},
        expected_version=plan.version,
    )

    after = pdf_text(therapist_client.get(pdf_url(plan, version="1")).getvalue())
    assert after == before
    assert "Chin nods" in after
    assert "Chin tucks against the wall" not in after
    # Without a version number the edited plan is the draft of version 2.
    draft = therapist_client.get(pdf_url(plan))
    draft_text = pdf_text(draft.getvalue())
    assert "Chin tucks against the wall" in draft_text
    assert "8 holds of 5 seconds" in draft_text
    assert "DRAFT" in draft_text
    assert "Version 2" in draft_text
    assert draft["Content-Disposition"] == 'attachment; filename="plan-keane-v2.pdf"'


def test_completed_plan_downloads_its_last_issued_version(
    therapist_client: Client, plan: Plan, therapist: User
) -> None:
    issue(plan, therapist)
    services.plan_complete(plan=plan, expected_version=plan.version)
    text = pdf_text(therapist_client.get(pdf_url(plan)).getvalue())
    assert "Version 1" in text
    assert "DRAFT" not in text


@pytest.mark.parametrize(
    "version", ["2", "0", "abc", "-1", "99999999999999999999", "%C2%B2", "1000000000"]
)
def test_unknown_version_is_404(
    therapist_client: Client, plan: Plan, therapist: User, version: str
) -> None:
    issue(plan, therapist)
    response = therapist_client.get(pdf_url(plan, version=version))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_filename_is_ascii_and_the_name_in_the_pdf_keeps_its_accents(
    therapist_client: Client, plan: Plan
) -> None:
    Patient.objects.filter(pk=plan.patient_id).update(first_name="Siún", last_name="Ó Súilleabháin")
    response = therapist_client.get(pdf_url(plan))
    assert response["Content-Disposition"] == 'attachment; filename="plan-o-suilleabhain-v1.pdf"'
    assert "Siún Ó Súilleabháin" in pdf_text(response.getvalue())


def test_plan_without_items_or_pain_drawing_still_renders(patient: Patient) -> None:
    plan = PlanFactory(assessment=AssessmentFactory(patient=patient))
    text = pdf_text(render_plan_pdf(plan_content(plan)))
    assert "No pain drawing was recorded." in text
    assert text.count("Nothing in this part of the plan for now.") == len(Strand.choices)
    assert STOP_BOX in text


# --- Safe plans (issue 9): read back from the PDF ------------------------------------------


@pytest.fixture
def safe_plan(plan: Plan) -> Plan:
    clinic = plan.patient.clinic
    clinic.phone, clinic.email = "+353 21 455 0199", "hello@harbour.example"
    clinic.address = "3 Quay Street, Cork"
    clinic.save()
    first = plan.items.get(position=0)
    first.cautions = "Near the main neck artery: never press on the pulse."
    first.precaution_note = "anticoagulants: Pressure release softened to its safer variant"
    first.sources = "Travell & Simons Vol 1\nhttps://www.nhs.uk/conditions/example/"
    first.priority = 1
    first.save()
    plan.screen_for = ["Leg-length difference: can keep the trigger point going; check for it."]
    plan.left_out = ["Levator ani: left out, no safe home technique."]
    plan.precautions = "anticoagulants"
    plan.save()
    return Plan.objects.select_related("patient__clinic", "assessment", "created_by").get(
        pk=plan.pk
    )


def test_patient_copy_prints_site_cautions_gp_reasons_sources_and_the_clinic_phone(
    safe_plan: Plan,
) -> None:
    text = pdf_text(render_plan_pdf(plan_content(safe_plan)))
    assert "Take care here: Near the main neck artery: never press on the pulse." in text
    for reason in (
        "you lose weight without trying",
        "you have a fever",
        "wakes you at night",
        "numbness, pins and needles or weakness spreads",
        "no better after 4–6 weeks",
    ):
        assert reason in text
    assert "Phone +353 21 455 0199" in text and "hello@harbour.example" in text
    assert "Sources" in text and "https://www.nhs.uk/conditions/example/" in text
    # The clinician's reasons stay off the patient's copy.
    assert "Changed by a precaution" not in text and "Screen for" not in text


def test_clinician_copy_names_the_precaution_sources_prompts_and_what_was_left_out(
    safe_plan: Plan,
) -> None:
    text = pdf_text(render_plan_pdf(plan_content(safe_plan), clinician=True))
    assert "Changed by a precaution: anticoagulants: Pressure release softened" in text
    assert "Sources: Travell & Simons Vol 1" in text
    assert "Screen for" in text and "Leg-length difference" in text
    assert "Levator ani: left out, no safe home technique." in text
    assert "Precautions: anticoagulants." in text
    assert "Take care here: Near the main neck artery" in text


def test_patient_and_clinician_copies_download_under_different_names(
    therapist_client: Client, plan: Plan
) -> None:
    patient_copy = therapist_client.get(pdf_url(plan))
    clinician_copy = therapist_client.get(pdf_url(plan, variant="clinician"))
    assert patient_copy["Content-Disposition"] == 'attachment; filename="plan-keane-v1.pdf"'
    assert clinician_copy["Content-Disposition"] == (
        'attachment; filename="plan-keane-v1-clinician-copy.pdf"'
    )


def test_version_issued_before_the_help_lists_keeps_its_stop_box(
    therapist_client: Client, plan: Plan, therapist: User
) -> None:
    version = services.plan_issue(plan=plan, by=therapist, expected_version=plan.version)
    old = {k: v for k, v in version.content.items() if k not in ("emergency", "see_gp")}
    version.content = old
    version.save()
    text = pdf_text(therapist_client.get(pdf_url(plan, version="1")).getvalue())
    assert "When to stop and call us" in text


# --- Paper, fonts, pages -------------------------------------------------------------------


@pytest.mark.parametrize("clinician", [False, True])
def test_pdf_is_a4(plan: Plan, clinician: bool) -> None:
    reader = PdfReader(BytesIO(render_plan_pdf(plan_content(plan), clinician=clinician)))
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=1)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=1)


def test_every_font_is_embedded(plan: Plan) -> None:
    reader = PdfReader(BytesIO(render_plan_pdf(plan_content(plan), clinician=True)))
    fonts = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            fonts[(name, ref.idnum)] = ref.get_object()
    assert fonts
    for font in fonts.values():
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font


def test_long_plan_spans_pages_with_the_footer_on_each(plan: Plan) -> None:
    for n in range(30):
        PlanItemFactory(plan=plan, strand=Strand.POSTURAL, title=f"Drill number {n}")
    pages = page_texts(render_plan_pdf(plan_content(plan)))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Maria Keane · Version 1" in text
    everything = " ".join(pages)
    for n in range(30):
        assert f"Drill number {n} " in everything


@pytest.mark.parametrize(
    ("intensity", "band"),
    [(0, "low"), (3, "low"), (4, "mid"), (6, "mid"), (7, "high"), (10, "high")],
)
def test_pain_bands(intensity: int, band: str) -> None:
    assert intensity_band(intensity) == band


# --- The download view: access and methods -------------------------------------------------


def test_other_clinic_gets_404(stranger_client: Client, plan: Plan) -> None:
    assert stranger_client.get(pdf_url(plan)).status_code == HTTPStatus.NOT_FOUND


def test_catalogue_editor_without_clinic_gets_404(editor_client: Client, plan: Plan) -> None:
    assert editor_client.get(pdf_url(plan)).status_code == HTTPStatus.NOT_FOUND


def test_colleague_in_same_clinic_downloads_it(colleague_client: Client, plan: Plan) -> None:
    response = colleague_client.get(pdf_url(plan, variant="clinician"))
    assert response.status_code == HTTPStatus.OK
    assert response.getvalue().startswith(b"%PDF-")


def test_post_is_not_allowed(therapist_client: Client, plan: Plan) -> None:
    response = therapist_client.post(pdf_url(plan))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_archived_patients_plan_still_downloads(therapist_client: Client, plan: Plan) -> None:
    Patient.objects.filter(pk=plan.patient_id).update(archived_at=timezone.now())
    response = therapist_client.get(pdf_url(plan))
    assert response.status_code == HTTPStatus.OK
    assert "Maria Keane" in pdf_text(response.getvalue())


# --- Queries ---------------------------------------------------------------------------------


def test_draft_pdf_query_count_does_not_grow_with_items(
    therapist_client: Client,
    plan: Plan,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    for n, area in enumerate(["post.leg", "ant.leg", "post.thigh", "ant.thigh", "ant.knee"]):
        PlanItemFactory(plan=plan, title=f"Extra drill {n}")
        for side in "lr":
            PainMarkFactory(assessment=plan.assessment, region_id=f"{area}.{side}")
    # session, user, plan (with patient; then again with clinic, assessment, therapist, which
    # only a draft prints), items with their
    # trigger points' areas, pain marks, palpated points, postural observations, measures,
    # red-flag screenings and their answers, region labels, movement results (issue 17)
    with django_assert_max_num_queries(14):  # + the access-log row
        response = therapist_client.get(pdf_url(plan))
    assert "Extra drill 4" in pdf_text(response.getvalue())


def test_issued_version_pdf_reads_only_the_frozen_copy(
    therapist_client: Client,
    plan: Plan,
    therapist: User,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    issue(plan, therapist)
    # session, user, plan (with its patient), the version, its frozen content (read only when
    # the PDF is rendered, this first time), the stored file's name, the access-log row; the
    # region labels when the catalogue is not kept yet
    with django_assert_max_num_queries(8):
        response = therapist_client.get(pdf_url(plan, version="1"))
    assert "Upper trapezius: pressure release" in pdf_text(response.getvalue())


def test_clinician_copy_shows_the_screening_result_decision_and_note(therapist) -> None:  # noqa: ANN001
    assessment = AssessmentFactory(therapist=therapist, patient__clinic=therapist.clinic)
    screening = screen_red_flags(assessment, yes=("weight-loss", "low-mood"))
    services_patients.screening_decide(
        screening=screening,
        decision="cleared",
        note="GP letter: weight loss explained by a new diet.",
        by=therapist,
        expected_version=screening.version,
    )
    plan = PlanFactory(patient=assessment.patient, assessment=assessment, created_by=therapist)
    PlanItemFactory(plan=plan)
    content = plan_content(plan)
    clinician = pdf_text(render_plan_pdf(content, clinician=True))
    for text in (
        "Red-flag screening",
        "Soon: GP within a week",
        "Weight loss they cannot explain",
        "Cleared after review",
        "GP letter: weight loss explained by a new diet.",
    ):
        assert text in clinician, text
    patient_copy = pdf_text(render_plan_pdf(content))
    assert "GP letter" not in patient_copy and "Red-flag screening" not in patient_copy


# --- Issued PDFs stored once -----------------------------------------------------------------


def test_issued_pdf_is_rendered_once_and_served_byte_identical(
    therapist_client: Client,
    plan: Plan,
    therapist: User,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    issue(plan, therapist)
    renders = []
    real = pdf_views.render_plan_pdf_within

    def counting(content, **kwargs):  # noqa: ANN001, ANN003, ANN202
        renders.append(content.number)
        return real(content, **kwargs)

    monkeypatch.setattr(pdf_views, "render_plan_pdf_within", counting)
    first = therapist_client.get(pdf_url(plan)).getvalue()
    # session, user, the version with its plan and patient (one query, get_issued_version),
    # the access-log row: no rendering, no region labels
    with django_assert_max_num_queries(4):
        second = therapist_client.get(pdf_url(plan))
    assert second.getvalue() == first
    assert second["Content-Disposition"] == 'attachment; filename="plan-keane-v1.pdf"'
    assert renders == [1]
    version = plan.versions.get()
    assert version.patient_pdf.name and not version.clinician_pdf.name
    # The clinician's copy is a different file, stored the first time it is asked for.
    clinician = therapist_client.get(pdf_url(plan, variant="clinician"))
    assert clinician.getvalue() != first
    assert renders == [1, 1]


def test_a_lost_stored_pdf_is_rendered_and_stored_again(
    therapist_client: Client, plan: Plan, therapist: User
) -> None:
    from django.core.files.storage import default_storage

    issue(plan, therapist)
    therapist_client.get(pdf_url(plan))
    name = plan.versions.get().patient_pdf.name
    default_storage.delete(name)
    response = therapist_client.get(pdf_url(plan))
    assert "Upper trapezius: pressure release" in pdf_text(response.getvalue())
    assert default_storage.exists(plan.versions.get().patient_pdf.name)


def test_issued_pdf_is_sent_from_storage_with_a_validator_and_never_kept(
    therapist_client: Client, plan: Plan, therapist: User
) -> None:
    issue(plan, therapist)
    first = therapist_client.get(pdf_url(plan), headers={"Accept-Encoding": "gzip"})
    assert first.streaming  # FileResponse: the stored file itself
    assert "Content-Encoding" not in first  # a PDF is compressed inside already
    assert first["ETag"] and first["Last-Modified"]
    directives = {d.strip() for d in first["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives  # shared clinic computers keep no copy
    assert first["Content-Disposition"] == 'attachment; filename="plan-keane-v1.pdf"'


def test_issued_pdf_answers_not_modified_to_a_browser_that_has_it_and_logs_the_read(
    therapist_client: Client, plan: Plan, therapist: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.models import AccessEvent

    issue(plan, therapist)
    first = therapist_client.get(pdf_url(plan))
    first.getvalue()
    opened = []
    monkeypatch.setattr(pdf_views, "stored_file", lambda *a, **k: opened.append(1))
    logged = AccessEvent.objects.filter(kind=AccessEvent.Kind.PDF).count()
    again = therapist_client.get(pdf_url(plan), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.getvalue() == b"" and opened == []  # the file is not even opened
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.PDF).count() == logged + 1
    # The clinician's copy is another file: the patient copy's tag does not stand for it.
    other = therapist_client.get(
        pdf_url(plan, variant="clinician"), headers={"If-None-Match": first["ETag"]}
    )
    assert other.status_code == HTTPStatus.OK


def test_a_new_issued_version_has_a_new_validator(
    therapist_client: Client, plan: Plan, therapist: User
) -> None:
    issue(plan, therapist)
    v1 = therapist_client.get(pdf_url(plan))
    item = PlanItem.objects.select_related("plan").get(plan=plan, title="Chin nods")
    services.plan_item_update(
        item=item,
        data={"title": "Chin tucks against the wall", "dosage": "8 holds of 5 seconds"},
        expected_version=plan.version,
    )
    plan.refresh_from_db()
    issue(plan, therapist)
    v2 = therapist_client.get(pdf_url(plan), headers={"If-None-Match": v1["ETag"]})
    assert v2.status_code == HTTPStatus.OK and v2["ETag"] != v1["ETag"]
    assert "Chin tucks against the wall" in pdf_text(v2.getvalue())


def test_a_draft_pdf_is_never_kept(therapist_client: Client, plan: Plan) -> None:
    response = therapist_client.get(pdf_url(plan))
    assert "no-store" in response["Cache-Control"] and not response.has_header("ETag")


def test_another_clinic_gets_404_even_with_the_validator(
    therapist_client: Client, stranger_client: Client, plan: Plan, therapist: User
) -> None:
    issue(plan, therapist)
    etag = therapist_client.get(pdf_url(plan))["ETag"]
    response = stranger_client.get(pdf_url(plan), headers={"If-None-Match": etag})
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_draft_pdf_is_rendered_on_every_download(
    therapist_client: Client, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders = []
    real = pdf_views.render_plan_pdf_within

    def counting(content, **kwargs):  # noqa: ANN001, ANN003, ANN202
        renders.append(content.status)
        return real(content, **kwargs)

    monkeypatch.setattr(pdf_views, "render_plan_pdf_within", counting)
    first = therapist_client.get(pdf_url(plan)).getvalue()
    PlanItemFactory(plan=plan, title="A drill added since")
    second = therapist_client.get(pdf_url(plan)).getvalue()
    assert renders == ["draft", "draft"]
    assert "A drill added since" in pdf_text(second)
    assert "A drill added since" not in pdf_text(first)
    assert not plan.versions.exists()


def test_the_note_for_the_clinic_is_never_printed_and_the_note_for_the_patient_is(
    therapist_client: Client, therapist: User, plan: Plan
) -> None:
    item = plan.items.order_by("position").first()
    PlanItem.objects.filter(pk=item.pk).update(
        notes="Keep the ball against the wall, not the floor.",
        clinic_note="Query cervical radiculopathy; ask the GP for the MRI report.",
        dosage="Week 1: 3 holds of 30 s\nWeek 2: 5 holds of 30 s",
    )
    plan = issue(plan, therapist)
    for query in ({}, {"variant": "clinician"}):
        text = pdf_text(therapist_client.get(pdf_url(plan, **query)).getvalue())
        assert "Keep the ball against the wall, not the floor." in text
        assert "radiculopathy" not in text and "MRI report" not in text
        assert "Week 1: 3 holds of 30 s Week 2: 5 holds of 30 s" in text
    page = therapist_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "<strong>Note for the clinic</strong> (not printed)" in page
    assert "Week 1: 3 holds of 30 s<br>Week 2: 5 holds of 30 s" in page
