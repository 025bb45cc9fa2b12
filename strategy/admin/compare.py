"""The admin's comparison of two versions: the same function as the app's page."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext

from ..comparison import compare_versions
from ..models import ConceptVersion


def default_other(version: ConceptVersion, versions: list[ConceptVersion]):
    """What a version is compared with unless asked: the one it was based on, or the
    one before it."""
    earlier = [other for other in versions if other.number < version.number]
    if version.based_on_id:
        return next(v for v in versions if v.pk == version.based_on_id)
    return earlier[-1] if earlier else version


class CompareView:
    """``<id>/compare/?with=N``: what changed from version N to this one."""

    def compare_view(self, request, version):
        versions = list(version.concept.versions.order_by("number"))
        by_number = {other.number: other for other in versions}
        try:
            other = by_number[int(request.GET.get("with", ""))]
        except (KeyError, ValueError):
            other = default_other(version, versions)
        return TemplateResponse(
            request,
            "admin/strategy/conceptversion/compare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": version,
                "other": other,
                "versions": versions,
                "title": gettext("Changes from v%(old)s to v%(new)s")
                % {"old": other.number, "new": version.number},
                "comparison": compare_versions(other, version),
            },
        )
