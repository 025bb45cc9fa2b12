"""Analyse listening exports for a concept's draft, as its Listen step does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from strategy import formats
from strategy.limits import MAX_LISTENING_BYTES
from strategy.listening import analysis, proposal, reading, shown
from strategy.listening.records import ListeningFileError
from strategy.method import CHANNELS, OPINION_LEADERS
from strategy.models import Concept, FrozenVersionError
from strategy.uploads import too_large


def analyse_file(file: str, *, public: list[str]) -> dict:
    path = Path(file)
    try:
        size = path.stat().st_size
        if size > MAX_LISTENING_BYTES:
            raise CommandError(too_large(path.name, MAX_LISTENING_BYTES))
        with path.open("rb") as opened:
            export = reading.open_export(path.name, opened, size=size)
            return analysis.analyse(export, public=public)
    except OSError as error:
        raise CommandError(
            _("Cannot read %(file)s: %(reason)s.")
            % {"file": file, "reason": error.strerror}
        ) from None
    except ListeningFileError as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = (
        "Analyse listening exports (monitoring tools, platform analytics) for a "
        "concept's draft; with --apply, put all of it into the draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("concept_id", type=int)
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--apply", action="store_true", help="put the analysis into the draft"
        )
        parser.add_argument(
            "--public",
            action="append",
            default=[],
            metavar="ACCOUNT",
            help="an account shown by name, not as a pseudonym (repeatable)",
        )

    def handle(self, concept_id, files, apply, public, **options):
        concept = Concept.objects.filter(pk=concept_id).first()
        draft = concept.working_version() if concept else None
        if draft is None:
            raise CommandError(
                _("No concept %(id)s with a working draft.") % {"id": concept_id}
            )
        sources = [analyse_file(file, public=public) for file in files]
        with formats.in_locale_of(draft):
            for source in sources:
                self._print_source(source)
            found = proposal.propose(draft, sources)
            self._print_proposal(found)
            if not apply:
                self.stdout.write(
                    _(
                        "Nothing was changed: add --apply to put all of it into the "
                        "draft."
                    )
                )
                return
            try:
                applied = proposal.apply(
                    draft,
                    sources,
                    channels={change.platform for change in found.channels},
                    leaders={change.name for change in found.leaders},
                    by=None,
                )
            except FrozenVersionError as error:
                raise CommandError(str(error)) from None
            except proposal.ProposalError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(self.style.SUCCESS(proposal.describe(applied)))

    def _print_source(self, source: dict) -> None:
        shown_source = shown.show(source)
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                _("%(file)s: %(tool)s, %(period)s, rows: %(rows)s")
                % {
                    "file": source["file"],
                    "tool": shown_source.tool,
                    "period": shown_source.period,
                    "rows": shown_source.rows,
                }
            )
        )
        months = [shown.month_label(month) for month in source["months"]]
        title = _("Mentions per month") if shown_source.is_monitoring else _("Posts")
        self._table(
            title,
            months,
            [
                (shown.platform_label(code), [formats.number(n) for n in f["months"]])
                for code, f in source["platforms"].items()
            ],
        )
        tones = shown.tone_labels()
        rated = [
            (code, f["tone"]) for code, f in source["platforms"].items() if f["tone"]
        ]
        if rated:
            self._table(
                _("Tone"),
                [label for _tone, label in tones],
                [
                    (
                        shown.platform_label(code),
                        [
                            formats.percent(counts.get(tone, 0), sum(counts.values()))
                            for tone, _label in tones
                        ],
                    )
                    for code, counts in rated
                ],
            )
        if shown_source.topics:
            self.stdout.write(f"  {_('Main topics:')} {shown_source.topics}")
        for figures in shown_source.formats:
            self.stdout.write(
                "  "
                + _(
                    "%(format)s (%(platform)s): posts %(posts)s, reach %(reach)s, "
                    "engagement %(engagement)s"
                )
                % figures
            )

    def _table(self, title: str, columns: list[str], rows: list) -> None:
        width = max([len(title), *(len(label) for label, _values in rows)]) + 2
        cells = [
            max(len(c), *(len(v[i]) for _l, v in rows)) + 2
            for i, c in enumerate(columns)
        ]
        self.stdout.write(
            "  "
            + title.ljust(width)
            + "".join(c.rjust(w) for c, w in zip(columns, cells, strict=True))
        )
        for label, values in rows:
            self.stdout.write(
                "  "
                + label.ljust(width)
                + "".join(v.rjust(w) for v, w in zip(values, cells, strict=True))
            )

    def _print_proposal(self, found) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(capfirst(CHANNELS.verbose_name)))
        for change in found.channels:
            state = _("updates the row") if change.row else _("new row")
            self.stdout.write(
                "  "
                + _(
                    "%(platform)s: mentions per month %(mentions)s, tone %(tone)s, "
                    "topics %(topics)s (%(state)s)"
                )
                % {
                    "platform": change.label,
                    "mentions": change.mentions_shown or "–",
                    "tone": change.tone_label or "–",
                    "topics": change.main_topics or "–",
                    "state": state,
                }
            )
        self.stdout.write(
            self.style.MIGRATE_HEADING(capfirst(OPINION_LEADERS.verbose_name))
        )
        for change in found.leaders:
            state = _("updates the row") if change.row else _("new row")
            self.stdout.write(
                "  "
                + _(
                    "%(name)s: %(platforms)s, reach %(reach)s, mentions %(mentions)s "
                    "(%(state)s)"
                )
                % {
                    "name": change.name,
                    "platforms": change.platform_labels,
                    "reach": change.reach_shown,
                    "mentions": change.mentions_shown,
                    "state": state,
                }
            )
