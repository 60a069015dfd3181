"""Pages of keuzedelen at another institution, one module per step of the domain: the
catalogue and offerings, requests with decisions and attendance, cooperation agreements, and
the home timetable with the regional overview."""

from stagekans.keuzedelen.views.agreements import (
    agreement_create,
    agreement_detail,
    agreement_list,
    agreement_new_version,
    sign_agreement,
    withdraw_version,
)
from stagekans.keuzedelen.views.catalogue import (
    catalogue,
    group_request,
    offering_close,
    offering_create,
    offering_detail,
    offering_edit,
)
from stagekans.keuzedelen.views.overview import overview, timetable
from stagekans.keuzedelen.views.requests import (
    attendance,
    decide_home,
    decide_host,
    record_result,
    request_detail,
    request_list,
    withdraw,
)

__all__ = [
    "agreement_create",
    "agreement_detail",
    "agreement_list",
    "agreement_new_version",
    "attendance",
    "catalogue",
    "decide_home",
    "decide_host",
    "group_request",
    "offering_close",
    "offering_create",
    "offering_detail",
    "offering_edit",
    "overview",
    "record_result",
    "request_detail",
    "request_list",
    "sign_agreement",
    "timetable",
    "withdraw",
    "withdraw_version",
]
