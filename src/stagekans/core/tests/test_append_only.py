import pytest
from django.apps import apps

from stagekans.core.models import AppendOnlyModel
from stagekans.testing import factories as f

HISTORY_MODELS = [
    "register.RecognitionStatusChange",
    "register.RecognitionConditions",
    "cases.CaseStatusChange",
    "cases.CaseDecision",
    "meldpunt.ReportStatusChange",
]


@pytest.mark.parametrize("label", HISTORY_MODELS)
def test_history_models_are_append_only(label):
    assert issubclass(apps.get_model(label), AppendOnlyModel)


@pytest.mark.django_db
def test_a_report_history_row_cannot_be_rewritten_or_deleted():
    from stagekans.meldpunt.models import ReportStatusChange

    report = f.submit_report().report
    row = ReportStatusChange.objects.get(report=report)
    row.note = "herschreven"
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        row.delete()
    row.refresh_from_db()
    assert row.note != "herschreven"
