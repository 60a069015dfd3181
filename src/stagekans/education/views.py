from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stagekans.core.forms import apply_service_errors
from stagekans.education import selectors, services
from stagekans.education.forms import AcceptInvitationForm, InviteStudentForm, StudentForm


@login_required
@permission_required("education.view_school", raise_exception=True)
def school_list(request: HttpRequest) -> HttpResponse:
    schools = selectors.schools_visible_to(request.user)
    if schools.count() == 1:
        return redirect("education:school_detail", pk=schools.get().pk)
    page = Paginator(schools, 25).get_page(request.GET.get("page"))
    return render(request, "education/school_list.html", {"page_obj": page})


@login_required
@permission_required("education.view_school", raise_exception=True)
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(selectors.schools_visible_to(request.user), pk=pk)
    return render(
        request,
        "education/school_detail.html",
        {"school": school, **selectors.school_overview(school)},
    )


@login_required
@permission_required("education.view_student", raise_exception=True)
def student_list(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(selectors.schools_visible_to(request.user), pk=pk)
    students = selectors.students_visible_to(request.user).filter(school=school)
    q = request.GET.get("q", "").strip()
    if q:
        students = students.filter(
            Q(family_name__icontains=q) | Q(given_name__icontains=q) | Q(student_number=q)
        )
    page = Paginator(students, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "education/student_list.html",
        {
            "school": school,
            "page_obj": page,
            "q": q,
            "query_string": urlencode({"q": q}) if q else "",
        },
    )


@login_required
@permission_required("education.add_student", raise_exception=True)
def student_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(selectors.schools_visible_to(request.user), pk=pk)
    programmes = selectors.programmes_of(school)
    form = StudentForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            student = services.enrol_student(acting_user=request.user, school=school, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is ingeschreven.") % {"name": student})
            if data.get("email"):
                messages.success(
                    request,
                    _("De uitnodiging om een account aan te maken is verstuurd naar %(email)s.")
                    % {"email": data["email"]},
                )
            return redirect("education:student_detail", pk=student.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "education/student_form.html", {"school": school, "form": form}, status=status
    )


@login_required
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    if not (
        user.has_perm("education.view_student")
        or user.has_perm("education.view_own_student_profile")
    ):
        raise PermissionDenied
    student = get_object_or_404(selectors.students_visible_to(user), pk=pk)
    services.record_student_view(acting_user=user, student=student)
    return _student_page(request, student)


def _student_page(
    request: HttpRequest, student: Any, invite_form: Any = None, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    may_invite = student.user_id is None and user.has_perm("education.change_student")
    invitation = selectors.latest_invitation(student) if may_invite else None
    context = {
        "student": student,
        "may_invite": may_invite,
        "invitation": invitation,
        "invitation_expired": invitation is not None and invitation.expires_at <= timezone.now(),
        "invite_form": invite_form or InviteStudentForm(),
    }
    return render(request, "education/student_detail.html", context, status=status)


@login_required
@permission_required("education.change_student", raise_exception=True)
@require_http_methods(["POST"])
def student_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Send (again) the invitation to create a login; an earlier link stops working."""
    student = get_object_or_404(selectors.students_visible_to(request.user), pk=pk)
    form = InviteStudentForm(request.POST)
    if form.is_valid():
        try:
            services.invite_student(
                acting_user=request.user, student=student, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("De uitnodiging is verstuurd naar %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("education:student_detail", pk=student.pk)
    return _student_page(request, student, invite_form=form, status=400)


@login_required
@permission_required("education.view_own_student_profile", raise_exception=True)
def my_profile(request: HttpRequest) -> HttpResponse:
    student = selectors.own_student_profile(request.user)
    if student is None:
        raise Http404(_("Er is geen studentprofiel aan dit account gekoppeld."))
    return render(request, "education/student_detail.html", {"student": student, "own": True})


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the invitation mail: the student chooses a password and lands, logged
    in, in their own portal. Works once, until it expires."""
    try:
        invited = services.open_invitation(token)
    except services.InvitationInvalid as error:
        return render(request, "education/invitation.html", {"invalid": str(error)}, status=410)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token=token, password=form.cleaned_data["password1"])
        except services.InvitationInvalid as error:
            return render(request, "education/invitation.html", {"invalid": str(error)}, status=410)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            login(request, user, backend="stagekans.accounts.backends.UsernameOrEmailBackend")
            messages.success(
                request,
                _("Welkom, %(name)s! Je account is klaar; je logt voortaan in met %(email)s.")
                % {"name": user.first_name, "email": user.email},
            )
            return redirect("portal:home")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "education/invitation.html",
        {"form": form, "invitation": invited},
        status=status,
    )
