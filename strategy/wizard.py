"""The guided wizard: one page per step of the method, over the version in the database.

GET renders the step from the version; POST saves it and redirects (Back, Next, Save
and every jump in the progress bar save first), so a refresh or the browser's back
button never re-posts. Nothing lives in the session: two tabs on two concepts, or on
two steps, never mix.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, approval, formats
from .comparison import compare_contents
from .editing import Conflict, save_step, signed_state, state_content
from .limits import MAX_ROWS_PER_LIST, MAX_TEXT_LENGTH
from .method import STEPS, get_step
from .models import Action, FrozenVersionError
from .progress import first_incomplete_step, version_progress
from .rendering import render_markdown
from .stepforms import StepForms


def step_url(version, step) -> str:
    return reverse(
        "strategy:step", args=[version.concept_id, version.number, step.slug]
    )


@login_required
def concept_open(request, concept_id):
    """Continue where the concept is not complete yet, in its working draft.

    A concept whose versions are all frozen has none: its history page offers to
    start one from any of them.
    """
    concept = access.get_concept(request.user, concept_id)
    draft = concept.working_version()
    if draft is None:
        messages.info(
            request,
            _("This concept has no working draft: start one from any version."),
        )
        return redirect(concept)
    return redirect(step_url(draft, first_incomplete_step(draft)))


def _neighbours(step):
    index = STEPS.index(step)
    previous = STEPS[index - 1] if index else None
    following = STEPS[index + 1] if index + 1 < len(STEPS) else None
    return previous, following


def _destination(request, version, step) -> str:
    """Where the button the user pressed leads, after saving."""
    go = request.POST.get("go", "save")
    previous, following = _neighbours(step)
    if go == "back" and previous:
        return step_url(version, previous)
    if go == "next" and following:
        return step_url(version, following)
    if go.startswith("step:"):
        try:
            return step_url(version, get_step(go.removeprefix("step:")))
        except KeyError:
            pass
    # Without JavaScript, "Edit" shows the page again with the row open, and "Add"
    # with a blank row: after saving, as every button does.
    if go.startswith("open:"):
        row = go.removeprefix("open:")
        return f"{step_url(version, step)}?{urlencode({'open': row})}#row-{row}"
    if go.startswith("add:"):
        name = go.removeprefix("add:")
        return f"{step_url(version, step)}?{urlencode({'add': name})}#new-{name}"
    return step_url(version, step)


@login_required
def step_view(request, concept_id, number, slug):
    version = access.get_version(request.user, concept_id, number)
    try:
        step = get_step(slug)
    except KeyError:
        raise Http404 from None
    editable = access.may_change(version, version.concept.role)
    if request.method == "POST":
        if not access.can_edit(version.concept.role):
            raise Http404
        # An editor only posts to a frozen version, or a draft in review, when it
        # was frozen or submitted after the page was shown: say so rather than
        # answer "not found".
        if not version.is_writable:
            return _locked_meanwhile(request, version, step)
        try:
            result = save_step(step, version, request.POST, by=request.user)
        except FrozenVersionError:
            return _locked_meanwhile(request, version, step)
        if result.is_accepted:
            if result.saved and request.POST.get("go", "save") == "save":
                messages.success(request, _("Saved."))
            return redirect(_destination(request, version, step))
        step_forms = result.forms
        context = step_context(request, version, step, step_forms, editable=editable)
        if result.conflict:
            context["conflict"] = _conflict(version, step, step_forms, result.conflict)
            # 409 when the page was based on a state of the step that is gone; a
            # page that did not say is answered like a form to correct.
            status = 200 if result.conflict.base is None else 409
            return render(request, "strategy/wizard/step.html", context, status=status)
        messages.error(
            request,
            _("Nothing was saved: please correct the marked fields below."),
        )
        return render(request, "strategy/wizard/step.html", context)
    if request.method != "GET":
        return HttpResponse(status=405)
    opened = request.GET.get("open", "")
    adding = request.GET.get("add", "")
    step_forms = StepForms(
        step,
        version,
        editable=editable,
        opened=opened,
        adding={adding} if editable else (),
    )
    if "fragment" in request.GET:
        if adding:
            return _blank_row_fragment(request, step_forms, adding, editable=editable)
        return _row_fragment(request, step_forms, opened, editable=editable)
    return render(
        request,
        "strategy/wizard/step.html",
        step_context(request, version, step, step_forms, editable=editable),
    )


def _row_fragment(request, step_forms, opened: str, *, editable: bool):
    """One row's fields, numbered as the page that asks shows it (``index``), for
    the page's script to put in place of the row's summary."""
    try:
        index = int(request.GET.get("index", ""))
    except ValueError:
        raise Http404 from None
    for formset in step_forms.formsets:
        key = opened.removeprefix(f"{formset.row_list.name}-")
        if key == opened or not 0 <= index < MAX_ROWS_PER_LIST:
            continue
        row = next((r for r in formset.rows_by_pk.values() if r.key == key), None)
        if row is None:
            break
        form = formset.row_form(row, index)
        for field in form.fields.values():
            field.disabled = not editable
        context = {
            "form": form,
            "formset": formset,
            "editable": editable,
            "number": index + 1,
        }
        return render(request, "strategy/wizard/_row.html", context)
    raise Http404


def _blank_row_fragment(request, step_forms, name: str, *, editable: bool):
    """A blank row of the list ``name``, numbered ``__prefix__``, for the page's
    script to add."""
    for formset in step_forms.formsets:
        if editable and formset.row_list.name == name and formset.can_delete:
            context = {
                "form": formset.empty_form,
                "formset": formset,
                "editable": editable,
                "number": "",
                "is_new": True,
            }
            return render(request, "strategy/wizard/_row.html", context)
    raise Http404


def _conflict(version, step, step_forms, conflict: Conflict) -> dict:
    """Who saved the step meanwhile, when, and what they changed, for the page."""
    saved = None
    if conflict.shown_at is not None:
        saved = version.concept.activities.filter(
            action=Action.STEP_SAVED,
            version_number=version.number,
            detail=step.slug,
            at__gt=conflict.shown_at,
        ).first()
    changes = None
    if conflict.base is not None:
        (changes,) = compare_contents(
            state_content(step, conflict.base),
            state_content(step, conflict.current),
            steps=[step],
            names=step_forms.link_names(),
        )
    return {"changes": changes, "saved": saved, "has_base": conflict.base is not None}


def _locked_meanwhile(request, version, step):
    """Someone froze or submitted the draft after the page was shown: say so."""
    if version.is_in_review:
        message = _(
            "This draft was submitted for review meanwhile: your changes were not "
            "saved. It can be changed again once it is sent back or withdrawn."
        )
    else:
        message = _(
            "This version was frozen meanwhile: your changes were not saved. "
            "Continue in the new draft."
        )
    messages.error(request, message)
    return redirect(step_url(version, step))


def step_context(request, version, step, step_forms, *, editable) -> dict:
    """What the step's page shows: its forms, the progress, and the step's extras
    as the method declares them."""
    previous, following = _neighbours(step)
    extras = {extra.name: extra.value(version) for extra in step.extras if extra.wizard}
    return {
        "concept": version.concept,
        "version": version,
        "step": step,
        "step_number": STEPS.index(step) + 1,
        "forms": step_forms,
        "editable": editable,
        "progress": version_progress(version, findings=extras.get("findings")),
        "previous": previous,
        "following": following,
        "review_step": None
        if version.is_frozen
        else approval.last_review_step(version),
        # How the page's script writes live totals: as the server does.
        "number_format": {"locale": formats.locale_tag(), **formats.symbols()},
        # The state the page shows, for the save to tell whether it is still current.
        "base_state": (
            signed_state(step_forms) if editable and not step_forms.is_empty else ""
        ),
        **extras,
    }


@login_required
@require_POST
def markdown_preview(request):
    """The sanitized HTML of a Markdown text, as the document will show it.

    For members of a team, who write texts; no text longer than a field holds.
    """
    if not request.user.memberships.exists():
        raise Http404
    text = request.POST.get("text", "")
    if len(text) > MAX_TEXT_LENGTH:
        message = _(
            "This text has %(length)s characters; a text holds at most %(max)s. "
            "Shorten it to see its preview."
        ) % {
            "length": formats.number(len(text)),
            "max": formats.number(MAX_TEXT_LENGTH),
        }
        return HttpResponse(
            format_html('<p class="text-danger">{}</p>', message), status=413
        )
    return HttpResponse(render_markdown(text))
